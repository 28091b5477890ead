import { sourceCriterion } from './backends.js';
import {
  bool,
  children,
  defined,
  duration,
  get,
  int,
  list,
  str,
  stringMap,
  table,
  type V1Object,
} from './v1-tree.js';

/** Middleware name suffix → `{ <kind>: options }`. */
export type NamedMiddleware = [string, V1Object];

/** v1 `auth` (frontend or entrypoint) → basicAuth / digestAuth / forwardAuth. */
export function authMiddlewares(
  auth: V1Object | undefined,
  warnings: string[],
  where: string,
): NamedMiddleware[] {
  if (!auth) return [];
  const out: NamedMiddleware[] = [];
  const headerField = str(auth, 'headerField');
  for (const kind of ['basic', 'digest'] as const) {
    const section = table(auth, kind);
    if (!section) continue;
    const options = defined({
      users: list(section, 'users'),
      usersFile: str(section, 'usersFile'),
      removeHeader: bool(section, 'removeHeader'),
      headerField: kind === 'basic' ? headerField : undefined,
    });
    out.push([`${kind}auth`, { [`${kind}Auth`]: options }]);
  }
  const forward = table(auth, 'forward');
  if (forward) {
    const tls = table(forward, 'tls');
    const options = defined({
      address: str(forward, 'address'),
      trustForwardHeader: bool(forward, 'trustForwardHeader'),
      authResponseHeaders: list(forward, 'authResponseHeaders'),
      tls: tls
        ? defined({
            ca: str(tls, 'ca'),
            cert: str(tls, 'cert'),
            key: str(tls, 'key'),
            insecureSkipVerify: bool(tls, 'insecureSkipVerify'),
          })
        : undefined,
    });
    out.push(['forwardauth', { forwardAuth: options }]);
  }
  if (headerField && !table(auth, 'basic'))
    warnings.push(`${where}.auth.headerField applies to basic auth only in v3; ignored`);
  return out;
}

/** v1 `whitelist` / `whiteList` / `whitelistSourceRange` → ipAllowList. */
export function whitelistMiddleware(obj: V1Object, warnings: string[], where: string): NamedMiddleware[] {
  const section = table(obj, 'whiteList');
  const ranges = list(section, 'sourceRange') ?? list(obj, 'whitelistSourceRange');
  if (!ranges || ranges.length === 0) return [];
  const options: V1Object = { sourceRange: ranges };
  if (bool(section, 'useXForwardedFor') === true) {
    options.ipStrategy = { depth: 1 };
    warnings.push(
      `${where}.whitelist.useXForwardedFor: v1 accepted any address of X-Forwarded-For; v3 checks the ` +
        'last one (ipStrategy.depth = 1)',
    );
  }
  return [['whitelist', { ipAllowList: options }]];
}

/** v1 `redirect` → redirectRegex (regex) or redirectScheme (entryPoint). */
export function redirectMiddleware(obj: V1Object, warnings: string[], where: string): NamedMiddleware[] {
  const redirect = table(obj, 'redirect');
  if (!redirect) return [];
  const permanent = bool(redirect, 'permanent') ?? false;
  const regex = str(redirect, 'regex');
  if (regex) {
    const replacement = str(redirect, 'replacement') ?? '';
    return [['redirect', { redirectRegex: { regex, replacement, permanent } }]];
  }
  const entryPoint = str(redirect, 'entryPoint');
  if (!entryPoint) return [];
  warnings.push(
    `${where}.redirect.entryPoint "${entryPoint}": converted to redirectScheme https on the default port; ` +
      'set the port if that entrypoint listens elsewhere',
  );
  return [['redirect', { redirectScheme: { scheme: 'https', permanent } }]];
}

const HEADER_FLAGS: Record<string, string> = {
  allowedHosts: 'allowedHosts',
  hostsProxyHeaders: 'hostsProxyHeaders',
  stsSeconds: 'stsSeconds',
  stsIncludeSubdomains: 'stsIncludeSubdomains',
  stsPreload: 'stsPreload',
  forceSTSHeader: 'forceSTSHeader',
  frameDeny: 'frameDeny',
  customFrameOptionsValue: 'customFrameOptionsValue',
  contentTypeNosniff: 'contentTypeNosniff',
  browserXssFilter: 'browserXssFilter',
  customBrowserXSSValue: 'customBrowserXSSValue',
  contentSecurityPolicy: 'contentSecurityPolicy',
  publicKey: 'publicKey',
  referrerPolicy: 'referrerPolicy',
  isDevelopment: 'isDevelopment',
};

/** v1 frontend `headers` → headers (+ redirectScheme for sslRedirect). */
export function headersMiddlewares(obj: V1Object, warnings: string[], where: string): NamedMiddleware[] {
  const headers = table(obj, 'headers');
  if (!headers) return [];
  const out: NamedMiddleware[] = [];
  if (bool(headers, 'sslRedirect') || bool(headers, 'sslTemporaryRedirect')) {
    const permanent = bool(headers, 'sslRedirect') === true;
    out.push(['sslredirect', { redirectScheme: { scheme: 'https', permanent } }]);
  }
  if (str(headers, 'sslHost') || bool(headers, 'sslForceHost'))
    warnings.push(`${where}.headers.sslHost/sslForceHost have no v3 equivalent; use redirectRegex`);
  const options: V1Object = defined({
    customRequestHeaders: stringMap(headers, 'customRequestHeaders'),
    customResponseHeaders: stringMap(headers, 'customResponseHeaders'),
    sslProxyHeaders: stringMap(headers, 'sslProxyHeaders'),
  });
  for (const [v1, v3] of Object.entries(HEADER_FLAGS)) {
    const value = get(headers, v1);
    if (value === undefined) continue;
    if (v1 === 'allowedHosts' || v1 === 'hostsProxyHeaders') options[v3] = list(headers, v1);
    else if (v1 === 'stsSeconds') options[v3] = int(headers, v1);
    else if (typeof value === 'string' && /^(true|false)$/i.test(value)) options[v3] = bool(headers, v1);
    else options[v3] = value;
  }
  if (Object.keys(options).length > 0) out.push(['headers', { headers: options }]);
  return out;
}

/** v1 `errors.<name>` → one errors middleware each (the v1 backend becomes the v3 service). */
export function errorsMiddlewares(obj: V1Object): NamedMiddleware[] {
  return children(obj, 'errors').map(([name, page]) => [
    `errors-${name}`,
    {
      errors: defined({
        status: list(page, 'status'),
        service: str(page, 'backend'),
        query: str(page, 'query'),
      }),
    },
  ]);
}

/** v1 `ratelimit` rate sets → one rateLimit middleware per set (all must allow the request, as in v1). */
export function rateLimitMiddlewares(obj: V1Object, warnings: string[], where: string): NamedMiddleware[] {
  const rl = table(obj, 'rateLimit');
  if (!rl) return [];
  const criterion = sourceCriterion(str(rl, 'extractorFunc'), warnings, `${where}.ratelimit`);
  return children(rl, 'rateSet').map(([name, set]) => [
    `ratelimit-${name}`,
    {
      rateLimit: defined({
        average: int(set, 'average'),
        burst: int(set, 'burst'),
        period: duration(set, 'period'),
        sourceCriterion: criterion,
      }),
    },
  ]);
}

const DN_FIELDS = [
  'country',
  'province',
  'locality',
  'organization',
  'organizationalUnit',
  'commonName',
  'serialNumber',
  'domainComponent',
];

/** v1 `passTLSCert` (PEM only) and `passTLSClientCert` → passTLSClientCert. */
export function passTlsMiddleware(obj: V1Object): NamedMiddleware[] {
  const section = table(obj, 'passTLSClientCert');
  if (!section)
    return bool(obj, 'passTLSCert') ? [['passtlsclientcert', { passTLSClientCert: { pem: true } }]] : [];
  const infos = table(section, 'infos');
  const dn = (sub: V1Object | undefined) =>
    sub && defined(Object.fromEntries(DN_FIELDS.map((k) => [k, bool(sub, k)])));
  const info = infos
    ? defined({
        notAfter: bool(infos, 'notAfter'),
        notBefore: bool(infos, 'notBefore'),
        sans: bool(infos, 'sans'),
        subject: dn(table(infos, 'subject')),
        issuer: dn(table(infos, 'issuer')),
      })
    : undefined;
  return [['passtlsclientcert', { passTLSClientCert: defined({ pem: bool(section, 'pem'), info }) }]];
}
