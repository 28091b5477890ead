import { authMiddlewares, type NamedMiddleware, whitelistMiddleware } from './frontend-middlewares.js';
import {
  bool,
  children,
  defined,
  duration,
  get,
  list,
  str,
  table,
  unknownKeys,
  type V1Object,
} from './v1-tree.js';

const ENTRYPOINT_KEYS = [
  'address',
  'tls',
  'redirect',
  'auth',
  'whiteList',
  'whitelistSourceRange',
  'compress',
  'proxyProtocol',
  'forwardedHeaders',
  'clientIPStrategy',
];

/** What the entrypoints convert to: v3 entrypoints, and the dynamic parts they need. */
export interface ConvertedEntryPoints {
  entryPoints: V1Object;
  middlewares: V1Object;
  certificates: V1Object[];
  tlsOptions: V1Object;
}

/** v1 TLS versions were written `VersionTLS12`, as v3's. */
function clientAuth(tls: V1Object): V1Object | undefined {
  const ca = get(tls, 'clientCA');
  if (ca === undefined) return undefined;
  const files = typeof ca === 'object' && ca !== null && !Array.isArray(ca) ? list(ca, 'files') : undefined;
  const caFiles = files ?? (Array.isArray(ca) || typeof ca === 'string' ? list(tls, 'clientCA') : undefined);
  const optional = bool(ca, 'optional') === true;
  return defined({
    caFiles,
    clientAuthType: optional ? 'VerifyClientCertIfGiven' : 'RequireAndVerifyClientCert',
  });
}

/**
 * Converts `[entryPoints.<n>]`. TLS certificates go to the dynamic `tls.certificates`; TLS settings to
 * `tls.options` (`default` when only one entrypoint has TLS); auth, whitelist, compress and regex
 * redirects to middlewares applied on the entrypoint (`entryPoints.<n>.http.middlewares`).
 */
export function convertEntryPoints(v1: V1Object, warnings: string[]): ConvertedEntryPoints {
  const out: ConvertedEntryPoints = { entryPoints: {}, middlewares: {}, certificates: [], tlsOptions: {} };
  const all = children(v1, 'entryPoints');
  const tlsCount = all.filter(([, ep]) => get(ep, 'tls') !== undefined).length;
  for (const [name, ep] of all) {
    const where = `entryPoints.${name}`;
    warnings.push(...unknownKeys(ep, ENTRYPOINT_KEYS, where));
    const v3: V1Object = { address: str(ep, 'address') ?? ':80' };
    const http: V1Object = {};
    const tls = table(ep, 'tls');
    if (get(ep, 'tls') !== undefined) {
      const optionsName = tlsCount === 1 ? 'default' : name;
      http.tls = optionsName === 'default' ? {} : { options: optionsName };
      for (const cert of certificateList(get(tls, 'certificates'))) out.certificates.push(cert);
      const options = defined({
        minVersion: str(tls, 'minVersion'),
        cipherSuites: list(tls, 'cipherSuites'),
        sniStrict: bool(tls, 'sniStrict'),
        clientAuth: tls ? clientAuth(tls) : undefined,
      });
      if (Object.keys(options).length > 0 || optionsName !== 'default') out.tlsOptions[optionsName] = options;
    }
    const redirect = table(ep, 'redirect');
    const mws: NamedMiddleware[] = [];
    if (redirect) {
      const target = str(redirect, 'entryPoint');
      const permanent = bool(redirect, 'permanent') ?? false;
      if (target) {
        const targetEp = table(table(v1, 'entryPoints'), target);
        const scheme = get(targetEp, 'tls') !== undefined ? 'https' : 'http';
        http.redirections = { entryPoint: { to: target, scheme, permanent } };
      } else if (str(redirect, 'regex')) {
        const regexp = {
          regex: str(redirect, 'regex'),
          replacement: str(redirect, 'replacement') ?? '',
          permanent,
        };
        mws.push(['redirect', { redirectRegex: regexp }]);
      }
    }
    mws.push(
      ...whitelistMiddleware(ep, warnings, where),
      ...authMiddlewares(table(ep, 'auth'), warnings, where),
    );
    if (bool(ep, 'compress') === true) mws.push(['compress', { compress: {} }]);
    if (mws.length > 0) {
      http.middlewares = mws.map(([suffix, definition]) => {
        out.middlewares[`entrypoint-${name}-${suffix}`] = definition;
        return `entrypoint-${name}-${suffix}@file`;
      });
    }
    if (Object.keys(http).length > 0) v3.http = http;
    for (const key of ['proxyProtocol', 'forwardedHeaders'] as const) {
      const section = table(ep, key);
      if (section)
        v3[key] = defined({ trustedIPs: list(section, 'trustedIPs'), insecure: bool(section, 'insecure') });
    }
    out.entryPoints[name] = v3;
  }
  return out;
}

function certificateList(value: unknown): V1Object[] {
  const entries = Array.isArray(value)
    ? value
    : typeof value === 'object' && value
      ? Object.values(value)
      : [];
  return entries.flatMap((c) => {
    const certFile = str(c, 'certFile');
    const keyFile = str(c, 'keyFile');
    return certFile && keyFile ? [{ certFile, keyFile }] : [];
  });
}

/** Global `[respondingTimeouts]` and `[lifeCycle]` (and v1's top-level `graceTimeOut`) for every entrypoint. */
export function entryPointTransport(v1: V1Object): V1Object | undefined {
  const rt = table(v1, 'respondingTimeouts');
  const lc = table(v1, 'lifeCycle');
  const transport: V1Object = {};
  if (rt) {
    transport.respondingTimeouts = defined({
      readTimeout: duration(rt, 'readTimeout'),
      writeTimeout: duration(rt, 'writeTimeout'),
      idleTimeout: duration(rt, 'idleTimeout'),
    });
  }
  const grace = duration(lc, 'graceTimeOut') ?? duration(v1, 'graceTimeOut');
  const accept = duration(lc, 'requestAcceptGraceTimeout');
  if (grace !== undefined || accept !== undefined)
    transport.lifeCycle = defined({ graceTimeOut: grace, requestAcceptGraceTimeout: accept });
  return Object.keys(transport).length > 0 ? transport : undefined;
}
