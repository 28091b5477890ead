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

/** TLS options and stores named `default` are shared by every provider and never qualified (as Traefik). */
const SHARED_TLS_NAME = 'default';

/**
 * A copy of one provider's validated configuration with every element name qualified as `name@provider`
 * and every reference too (router → service and middlewares, service → services, middlewares and
 * serversTransport, chain → middlewares, errors → service, router → TLS options). A reference that already
 * names a provider (`auth@docker`) is kept.
 *
 * @example qualifyConfig(cfg, 'file').http.routers['api@file'].service === 'api-svc@file'
 */
export function qualifyConfig(config: DynamicConfig, provider: string): DynamicConfig {
  const q = (name: string) => qualify(name, provider);
  const qList = (names: string[] | undefined) => names?.map(q);
  const qTls = (name: string | undefined) =>
    name === undefined || name === SHARED_TLS_NAME ? name : q(name);
  const qNamed = <T extends { name: string }>(refs: T[] | undefined) =>
    refs?.map((r) => ({ ...r, name: q(r.name) }));

  const httpRouter = (r: HttpRouter): HttpRouter =>
    defined({
      ...r,
      service: q(r.service),
      middlewares: qList(r.middlewares),
      tls: r.tls && defined({ ...r.tls, options: qTls(r.tls.options) }),
    });

  const httpService = (s: HttpService): HttpService =>
    defined({
      ...s,
      middlewares: qList(s.middlewares),
      loadBalancer:
        s.loadBalancer &&
        defined({ ...s.loadBalancer, serversTransport: optional(s.loadBalancer.serversTransport, q) }),
      weighted: s.weighted && { ...s.weighted, services: qNamed(s.weighted.services)! },
      highestRandomWeight: s.highestRandomWeight && {
        ...s.highestRandomWeight,
        services: qNamed(s.highestRandomWeight.services)!,
      },
      mirroring:
        s.mirroring &&
        defined({ ...s.mirroring, service: q(s.mirroring.service), mirrors: qNamed(s.mirroring.mirrors) }),
      failover: s.failover && {
        ...s.failover,
        service: q(s.failover.service),
        fallback: q(s.failover.fallback),
      },
      originalDestination:
        s.originalDestination &&
        defined({
          ...s.originalDestination,
          serversTransport: optional(s.originalDestination.serversTransport, q),
        }),
    });

  const tcpRouter = (r: TcpRouter): TcpRouter =>
    defined({
      ...r,
      service: q(r.service),
      middlewares: qList(r.middlewares),
      tls: r.tls && defined({ ...r.tls, options: qTls(r.tls.options) }),
    });

  const tcpService = (s: TcpService): TcpService =>
    defined({
      ...s,
      loadBalancer:
        s.loadBalancer &&
        defined({ ...s.loadBalancer, serversTransport: optional(s.loadBalancer.serversTransport, q) }),
      weighted: s.weighted && { ...s.weighted, services: qNamed(s.weighted.services)! },
    });

  const udpService = (s: UdpService): UdpService =>
    defined({ ...s, weighted: s.weighted && { ...s.weighted, services: qNamed(s.weighted.services)! } });

  return {
    http: {
      routers: mapNames(config.http.routers, q, httpRouter),
      services: mapNames(config.http.services, q, httpService),
      middlewares: mapNames(config.http.middlewares, q, (m) => middleware(m, q)),
      serversTransports: mapNames(config.http.serversTransports, q, (t) => t),
    },
    tcp: {
      routers: mapNames(config.tcp.routers, q, tcpRouter),
      services: mapNames(config.tcp.services, q, tcpService),
      middlewares: mapNames(config.tcp.middlewares, q, (m) => m),
      serversTransports: mapNames(config.tcp.serversTransports, q, (t) => t),
    },
    udp: {
      routers: mapNames(config.udp.routers, q, (r: UdpRouter) => ({ ...r, service: q(r.service) })),
      services: mapNames(config.udp.services, q, udpService),
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

/** Middleware types whose options name other elements: `chain` (middlewares) and `errors` (service). */
function middleware(m: MiddlewareConfig, q: (name: string) => string): MiddlewareConfig {
  const options = m.options as Record<string, unknown> | undefined;
  if (!options) return m;
  if (m.type === 'chain' && Array.isArray(options.middlewares)) {
    return {
      ...m,
      options: {
        ...options,
        middlewares: options.middlewares.map((n) => (typeof n === 'string' ? q(n) : n)),
      },
    };
  }
  if (m.type === 'errors' && typeof options.service === 'string') {
    return { ...m, options: { ...options, service: q(options.service) } };
  }
  return m;
}

function mapNames<T>(
  map: Record<string, T>,
  rename: (name: string) => string,
  convert: (value: T) => T,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [name, value] of Object.entries(map)) out[rename(name)] = convert(value);
  return out;
}

function optional(value: string | undefined, q: (name: string) => string): string | undefined {
  return value === undefined ? undefined : q(value);
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
