import type { StaticConfig } from '../config/static/index.js';
import { errorMessage } from '../core/errors.js';
import { redirectionRoutes } from '../internal/redirections.js';
import { compileForwardedTrust } from '../proxy/forwarded-headers.js';
import { connectionStages } from './entrypoint-options.js';

/**
 * Checks of the static configuration that need more than its schema (addresses in trustedIPs,
 * redirection targets). Returns one message per problem; empty when all is well.
 */
export function staticSemanticErrors(config: StaticConfig): string[] {
  const errors: string[] = [];
  for (const [name, ep] of Object.entries(config.entryPoints)) {
    try {
      compileForwardedTrust({ trustedIPs: ep.forwardedHeaders.trustedIPs });
      connectionStages(ep);
    } catch (err) {
      errors.push(`entryPoints.${name}.${errorMessage(err)}`);
    }
  }
  try {
    redirectionRoutes(config);
  } catch (err) {
    errors.push(errorMessage(err));
  }
  return errors;
}

/** Static sections Traefik knows that Switchyard accepts but does not act on yet. */
export function unsupportedStaticKeys(config: StaticConfig): string[] {
  const out: string[] = [];
  const c = config as unknown as Record<string, unknown>;
  for (const key of [
    'api',
    'metrics',
    'accessLog',
    'tracing',
    'experimental',
    'spiffe',
    'ocsp',
    'hostResolver',
  ]) {
    if (c[key] !== undefined) out.push(key);
  }
  if (Object.keys(config.certificatesResolvers ?? {}).length > 0) out.push('certificatesResolvers');
  const providers = config.providers as unknown as Record<string, unknown>;
  for (const key of Object.keys(providers)) {
    if (
      ![
        'file',
        'docker',
        'etcd',
        'redis',
        'zooKeeper',
        'http',
        'rest',
        'providersThrottleDuration',
        'precedence',
      ].includes(key) &&
      providers[key] !== undefined
    ) {
      out.push(`providers.${key}`);
    }
  }
  for (const [name, ep] of Object.entries(config.entryPoints)) {
    if (ep.http3) out.push(`entryPoints.${name}.http3`);
    if (ep.http.tls?.certResolver) out.push(`entryPoints.${name}.http.tls.certResolver`);
  }
  return out;
}
