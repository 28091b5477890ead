import { type ConvertedBackend, convertBackend } from './backends.js';
import {
  authMiddlewares,
  errorsMiddlewares,
  headersMiddlewares,
  type NamedMiddleware,
  passTlsMiddleware,
  rateLimitMiddlewares,
  redirectMiddleware,
  whitelistMiddleware,
} from './frontend-middlewares.js';
import { type ConvertedRule, convertV1Rules } from './rules.js';
import {
  asList,
  bool,
  children,
  get,
  int,
  isObject,
  list,
  str,
  table,
  unknownKeys,
  type V1Object,
} from './v1-tree.js';

/** The result of every v1 conversion: a v3 raw tree and what did not convert exactly. */
export interface V1Conversion {
  config: unknown;
  warnings: string[];
  /**
   * Frontends Traefik 1.7 refuses (an unknown rule matcher, a matcher without value …): their router is
   * left out of `config`; `element` names it (`http.routers.<name>`) so providers report it as that
   * router's error.
   */
  errors: V1ElementError[];
}

/** An error that disables one converted element. */
export interface V1ElementError {
  element: string;
  message: string;
}

const FRONTEND_KEYS = [
  'backend',
  'routes',
  'passHostHeader',
  'priority',
  'entryPoints',
  'auth',
  'basicAuth',
  'redirect',
  'errors',
  'rateLimit',
  'whiteList',
  'whitelistSourceRange',
  'headers',
  'passTLSCert',
  'passTLSClientCert',
];

/** redirectRegex options (on the full URL) that add or remove the path's trailing slash, keeping the query. */
const SLASH_REDIRECTS = {
  addslash: { regex: '^([^?]*)(\\?.*)?$', replacement: '$1/$2' },
  stripslash: { regex: '^([^?]*)/(\\?.*)?$', replacement: '$1$2' },
};

/** v3 element names may not contain `@` (it separates the provider). */
function elementName(name: string): string {
  return name.replace(/@/g, '-');
}

/**
 * Converts a v1 dynamic configuration (`[backends]`, `[frontends]`, `[[tls]]`; keys in any case, values
 * possibly strings as decoded from KV or labels) into a v3 dynamic raw tree. Each backend becomes a
 * loadBalancer service of the same name, each frontend a router of its name; v1 options that v3 expresses
 * as middlewares (modifiers, auth, headers, maxconn …) become middlewares named `<frontend|backend>-<kind>`.
 * Frontends whose backend does not exist are dropped with a warning, as v1 does.
 *
 * @example convertV1Dynamic(parseToml(text)).config // { http: { routers, services, middlewares } }
 */
export function convertV1Dynamic(
  v1: unknown,
  opts: { provider?: string; strictSlash?: boolean } = {},
): V1Conversion {
  const warnings: string[] = [];
  const errors: V1ElementError[] = [];
  const routers: V1Object = {};
  const services: V1Object = {};
  const middlewares: V1Object = {};
  const backends = new Map<string, { name: string; converted: ConvertedBackend }>();
  for (const [name, backend] of children(v1, 'backends')) {
    const converted = convertBackend(name, backend, warnings);
    backends.set(name.toLowerCase(), { name: elementName(name), converted });
    services[elementName(name)] = { loadBalancer: converted.loadBalancer };
  }

  /** Which passHostHeader each service got from the first frontend using it. */
  const hostPolicy = new Map<string, boolean>();
  for (const [name, frontend] of children(v1, 'frontends')) {
    const where = `frontends.${name}`;
    warnings.push(...unknownKeys(frontend, FRONTEND_KEYS, where));
    const backendName = str(frontend, 'backend');
    const found = backendName === undefined ? undefined : backends.get(backendName.toLowerCase());
    if (!found) {
      warnings.push(`${where}: backend "${backendName ?? ''}" does not exist; the frontend is dropped`);
      continue;
    }
    const backend = found.converted;
    const routerName = elementName(name);
    const rules = children(frontend, 'routes').map(([, route]) => str(route, 'rule') ?? '');
    const converted = convertV1Rules(rules, { strictSlash: opts.strictSlash });
    warnings.push(...converted.warnings.map((w) => `${where}: ${w}`));
    if (converted.errors.length > 0) {
      errors.push({
        element: `http.routers.${routerName}`,
        message: `${where}: ${converted.errors.join('; ')}; Traefik 1.7 refuses this frontend, it is not served`,
      });
      continue;
    }
    const realBackend = found.name;
    const passHost = bool(frontend, 'passHostHeader') ?? true;
    let service = realBackend;
    const policy = hostPolicy.get(realBackend);
    if (policy === undefined) {
      hostPolicy.set(realBackend, passHost);
      if (!passHost)
        (services[realBackend] as { loadBalancer: V1Object }).loadBalancer.passHostHeader = false;
    } else if (policy !== passHost) {
      // v1 sets passHostHeader per frontend, v3 per service: a second service for the other setting.
      service = `${realBackend}-${routerName}`;
      const lb = (services[realBackend] as { loadBalancer: V1Object }).loadBalancer;
      services[service] = { loadBalancer: { ...lb, passHostHeader: passHost } };
    }

    const chain: NamedMiddleware[] = [
      ...redirectMiddleware(frontend, warnings, where),
      ...whitelistMiddleware(frontend, warnings, where),
      ...headersMiddlewares(frontend, warnings, where),
      ...errorsMiddlewares(frontend),
      ...rateLimitMiddlewares(frontend, warnings, where),
      ...authMiddlewares(authSection(frontend), warnings, where),
      ...passTlsMiddleware(frontend),
      ...converted.modifiers.map((m): NamedMiddleware => [m.kind.toLowerCase(), { [m.kind]: m.options }]),
    ];
    const names: string[] = [];
    for (const [suffix, definition] of chain) {
      const mwName = `${routerName}-${suffix}`;
      middlewares[mwName] = definition;
      names.push(mwName);
    }
    for (const [suffix, definition] of backend.middlewares) {
      const mwName = `${realBackend}-${suffix}`;
      middlewares[mwName] = definition;
      names.push(mwName);
    }

    const router: V1Object = { rule: converted.rule, service, priority: routerPriority(frontend, converted) };
    if (converted.ruleSyntax) router.ruleSyntax = converted.ruleSyntax;
    const entryPoints = list(frontend, 'entryPoints');
    if (entryPoints && entryPoints.length > 0) router.entryPoints = entryPoints;
    if (names.length > 0) router.middlewares = names;
    routers[routerName] = router;
    for (const redirect of converted.slashRedirects) {
      // The redirect answers before any of the frontend's middlewares, as mux's handler replaced them.
      const suffix = redirect.addSlash ? 'addslash' : 'stripslash';
      const mwName = `${routerName}-${suffix}`;
      middlewares[mwName] = { redirectRegex: { ...SLASH_REDIRECTS[suffix], permanent: true } };
      routers[mwName] = { ...router, rule: redirect.rule, middlewares: [mwName] };
    }
  }

  const config: V1Object = {};
  const http: V1Object = {};
  if (Object.keys(routers).length > 0) http.routers = routers;
  if (Object.keys(services).length > 0) http.services = services;
  if (Object.keys(middlewares).length > 0) http.middlewares = middlewares;
  if (Object.keys(http).length > 0) config.http = http;
  const certificates = tlsCertificates(get(v1, 'tls'));
  if (certificates.length > 0) config.tls = { certificates };
  return { config, warnings, errors };
}

/**
 * Traefik 1.7's order, made explicit: the frontend's `priority` when > 0, else the total length of its
 * rule strings (v1 sorts routes by that number, highest first). v3's default — the length of the
 * *converted* rule — would order them differently. A frontend without routes sorts last in v1 (0): -1.
 */
function routerPriority(frontend: V1Object, converted: ConvertedRule): number {
  const explicit = int(frontend, 'priority');
  if (explicit !== undefined && explicit > 0) return explicit;
  return converted.priority > 0 ? converted.priority : -1;
}

/** v1's frontend `auth` section, with the deprecated `basicAuth = [users]` folded in. */
function authSection(frontend: V1Object): V1Object | undefined {
  const auth = table(frontend, 'auth');
  const legacy = asList(get(frontend, 'basicAuth'));
  if (!legacy || legacy.length === 0) return auth;
  return { ...auth, basic: { users: legacy } };
}

/** v1 `[[tls]]` (file) or `tls/<name>/certificate/...` (KV) → v3 `tls.certificates`. */
function tlsCertificates(tls: unknown): V1Object[] {
  const entries = Array.isArray(tls) ? tls : isObject(tls) ? Object.values(tls) : [];
  return entries.flatMap((entry) => {
    const cert = table(entry, 'certificate');
    const certFile = str(cert, 'certFile');
    const keyFile = str(cert, 'keyFile');
    return certFile && keyFile ? [{ certFile, keyFile }] : [];
  });
}
