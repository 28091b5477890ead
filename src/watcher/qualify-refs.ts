import { BUILTIN_SCHEMAS, type ExtensionSchemas } from '../config/dynamic/builtin-schemas.js';
import type {
  DynamicConfig,
  HttpRouter,
  HttpService,
  MiddlewareConfig,
  TcpRouter,
  TcpService,
  UdpRouter,
  UdpService,
} from '../config/dynamic/index.js';
import { qualify } from '../config/dynamic/validate.js';
import { renameReferences } from '../core/references.js';
import type { Declaration, Lookup } from '../core/registry.js';

/** TLS options and stores named `default` are shared by every provider and never qualified (as Traefik). */
const SHARED_TLS_NAME = 'default';

/**
 * A copy of one provider's validated configuration with every element name qualified as `name@provider`
 * and every reference too: the structure's own (router → service, middlewares and TLS options; service →
 * middlewares) and, for every middleware and service kind, the options its declaration lists in `refs`
 * (chain → middlewares, errors → service, weighted → services, loadBalancer → serversTransport…; plugins
 * declare theirs). A reference that already names a provider (`auth@docker`) is kept.
 *
 * @example qualifyConfig(cfg, 'file', extensions).http.routers['api@file'].service === 'api-svc@file'
 */
export function qualifyConfig(
  config: DynamicConfig,
  provider: string,
  schemas: ExtensionSchemas = BUILTIN_SCHEMAS,
  memo?: WeakMap<object, object>,
): DynamicConfig {
  const q = (name: string) => qualify(name, provider);
  /** `convert`, remembered per element object when a memo is given (one memo per provider). */
  const remembered =
    <T>(convert: (value: T) => T) =>
    (value: T): T => {
      if (!memo || typeof value !== 'object' || value === null) return convert(value);
      let out = memo.get(value) as T | undefined;
      if (out === undefined) {
        out = convert(value);
        memo.set(value, out as object);
      }
      return out;
    };
  const qList = (names: string[] | undefined) => names?.map(q);
  const qTls = (name: string | undefined) =>
    name === undefined || name === SHARED_TLS_NAME ? name : q(name);
  const refs = (value: unknown, declaration: Declaration | undefined) =>
    renameReferences(value, declaration?.refs, q);
  /** Each kind key of a service (`loadBalancer`…) with its options' references qualified. */
  const kinds = <S extends object>(s: S, lookup: Lookup<Declaration>): S => {
    const out: Record<string, unknown> = { ...(s as Record<string, unknown>) };
    for (const [key, value] of Object.entries(s)) {
      if (key !== 'middlewares' && value !== undefined) out[key] = refs(value, lookup.get(key));
    }
    return out as S;
  };

  const httpRouter = (r: HttpRouter): HttpRouter =>
    defined({
      ...r,
      service: q(r.service),
      middlewares: qList(r.middlewares),
      tls: r.tls && defined({ ...r.tls, options: qTls(r.tls.options) }),
    });

  const httpService = (s: HttpService): HttpService =>
    defined({ ...kinds(s, schemas.services), middlewares: qList(s.middlewares) });

  const middleware = (lookup: Lookup<Declaration>) => (m: MiddlewareConfig) =>
    m.options === undefined ? m : { ...m, options: refs(m.options, lookup.get(m.type)) };

  const tcpRouter = (r: TcpRouter): TcpRouter =>
    defined({
      ...r,
      service: q(r.service),
      middlewares: qList(r.middlewares),
      tls: r.tls && defined({ ...r.tls, options: qTls(r.tls.options) }),
    });

  return {
    http: {
      routers: mapNames(config.http.routers, q, remembered(httpRouter)),
      services: mapNames(config.http.services, q, remembered(httpService)),
      middlewares: mapNames(config.http.middlewares, q, remembered(middleware(schemas.middlewares))),
      serversTransports: mapNames(config.http.serversTransports, q, (t) => t),
    },
    tcp: {
      routers: mapNames(config.tcp.routers, q, remembered(tcpRouter)),
      services: mapNames(
        config.tcp.services,
        q,
        remembered((s: TcpService) => kinds(s, schemas.tcpServices)),
      ),
      middlewares: mapNames(config.tcp.middlewares, q, remembered(middleware(schemas.tcpMiddlewares))),
      serversTransports: mapNames(config.tcp.serversTransports, q, (t) => t),
    },
    udp: {
      routers: mapNames(
        config.udp.routers,
        q,
        remembered((r: UdpRouter) => ({ ...r, service: q(r.service) })),
      ),
      services: mapNames(
        config.udp.services,
        q,
        remembered((s: UdpService) => kinds(s, schemas.udpServices)),
      ),
    },
    tls: {
      certificates: [...config.tls.certificates],
      options: mapNames(
        config.tls.options,
        (n) => qTls(n)!,
        (o) => o,
      ),
      stores: mapNames(
        config.tls.stores,
        (n) => qTls(n)!,
        (s) => s,
      ),
    },
  };
}

function mapNames<T>(
  map: Record<string, T>,
  rename: (name: string) => string,
  convert: (value: T) => T,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const name of Object.keys(map)) out[rename(name)] = convert(map[name]!);
  return out;
}

/**
 * The object without keys whose value is undefined (so a copy has the same keys as the original). Copied,
 * not `delete`d: an object that loses a key becomes a dictionary of its own (several hundred bytes more
 * per router with 10,000 routers), a copy shares its shape with its siblings.
 */
function defined<T extends object>(value: T): T {
  const out = {} as T;
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
