import type { ConfigIssue } from '../schema/issues.js';
import { normalize } from '../schema/normalize.js';
import type { StaticConfig } from './schema.js';
import { EntryPointSchema } from './schema-entrypoints.js';

/** Name of the internal entrypoint used by the insecure API, ping and Prometheus by default. */
export const INTERNAL_ENTRYPOINT = 'traefik';

/** A fully defaulted entrypoint listening on `address`. */
function entryPoint(address: string) {
  return normalize(EntryPointSchema, { address }).value;
}

/**
 * Traefik's derived defaults, applied after validation (mutates and returns `config`):
 * - no entrypoint at all ⇒ `http` on `:80`;
 * - `api.insecure`, `ping`, `metrics.prometheus` (on the default entrypoint, without manualRouting) or
 *   `providers.rest.insecure` ⇒ a `traefik` entrypoint on `:8080` unless one is defined.
 */
export function applyDerivedDefaults(config: StaticConfig): StaticConfig {
  if (Object.keys(config.entryPoints).length === 0) config.entryPoints.http = entryPoint(':80');
  const usesInternal =
    config.api?.insecure === true ||
    (config.ping !== undefined &&
      !config.ping.manualRouting &&
      config.ping.entryPoint === INTERNAL_ENTRYPOINT) ||
    (config.metrics?.prometheus !== undefined &&
      !config.metrics.prometheus.manualRouting &&
      config.metrics.prometheus.entryPoint === INTERNAL_ENTRYPOINT) ||
    config.providers.rest?.insecure === true;
  if (usesInternal && !(INTERNAL_ENTRYPOINT in config.entryPoints)) {
    config.entryPoints[INTERNAL_ENTRYPOINT] = entryPoint(':8080');
  }
  return config;
}

/**
 * Checks that span several keys and so cannot live in the schema. `locate` maps a canonical path to its
 * source.
 */
export function crossChecks(
  config: StaticConfig,
  locate: (path: string[]) => string | undefined,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string[], message: string) => {
    const issue: ConfigIssue = { path: path.join('.'), message, code: 'CONFIG_INVALID' };
    const source = locate(path);
    if (source !== undefined) issue.source = source;
    issues.push(issue);
  };
  const file = config.providers.file;
  // Both set is accepted, as in Traefik (directory wins); neither is an error there too.
  if (file && !file.filename && !file.directory) {
    add(['providers', 'file'], 'set either "filename" or "directory"');
  }
  return issues;
}
