import type { DynamicConfig, ServersTransport, TcpServersTransport } from '../config/dynamic/index.js';
import {
  liveServerStatus,
  type RuntimeConfig,
  type RuntimeElement,
  type RuntimeService,
  recordError,
} from '../config/runtime/runtime-config.js';
import { errorMessage } from '../core/errors.js';
import { type HttpContext, type HttpHandler, sendError } from '../core/http-context.js';
import type { Logger } from '../core/logger.js';
import { guardHandler } from '../entrypoints/error-path.js';
import type { EntryPointHandlers } from '../entrypoints/http-entrypoint.js';
import type { Extensions } from '../extensions.js';
import type { UdpTable } from '../proxy/udp/table.js';
import { buildRouteTable, type RouteEntry, type RouteTableOptions } from '../router/http/index.js';
import { compiledRules } from '../rules/index.js';
import { type CertPair, TlsGeneration, type TlsRouting } from '../tls/index.js';
import { buildTcp, isTcpElementIssue, type TcpRoutingTable } from './build-tcp.js';
import { buildUdp, isUdpElementIssue } from './build-udp.js';
import {
  type AcmeCertificateLookup,
  DEFAULT_GENERATED_SOURCE,
  defaultGeneratedCertificate,
} from './default-generated-cert.js';
import { compose, MiddlewareBuilder } from './middleware-builder.js';
import { middlewareParts, recordReferenceUses, serviceParts } from './record-uses.js';
import { providerOf, qualifyRef } from './resolve-name.js';
import { element, routerElement } from './runtime-element.js';
import { ServiceBuilder } from './service-builder.js';
import { type AcmeRequest, sniCheck, TlsRoutingBuilder, type TlsSlot } from './tls-builder.js';

/** A built-in router (ping, API…) added by the process, not by a provider. */
export interface InternalRoute {
  name: string;
  entryPoint: string;
  /** Only on plain HTTP or only on HTTPS connections; both when absent. */
  scheme?: 'http' | 'https';
  rule: string;
  priority: number;
  handler: HttpHandler;
}

export interface GraphInput {
  config: DynamicConfig;
  /** Validation errors per qualified element (`http.routers.api@file` or `api@file`). */
  elementIssues: { element?: string; message: string; source?: string }[];
  /**
   * Entrypoints with their `http.middlewares` (prepended to every router) and `http.tls` (all routers
   * HTTPS; `tlsOptions` for routers without `tls` of their own).
   */
  entryPoints: {
    name: string;
    asDefault: boolean;
    middlewares?: string[];
    tls?: boolean;
    tlsOptions?: string;
    /** `http.tls.certResolver`, for routers without `tls` of their own. */
    certResolver?: string;
  }[];
  internalRoutes: InternalRoute[];
  /** The UDP entrypoints (address ending in `/udp`); `entryPoints` lists the TCP ones only. */
  udpEntryPoints?: readonly string[];
  /** Built-in services routers may name (`noop@internal`, `ping@internal`…). */
  internalServices?: Record<string, HttpHandler>;
  defaultTransport: ServersTransport;
  /** The static `tcpServersTransport`; Traefik's defaults when absent. */
  defaultTcpTransport?: TcpServersTransport;
  /** `providers.precedence` and `core.defaultRuleSyntax`. */
  routeOptions?: RouteTableOptions;
  /** The certificate generated at startup; when given, the generation's TLS side is built (`tls`). */
  generatedCertificate?: CertPair;
  /** Certificates served besides `tls.certificates` (obtained by ACME resolvers), inline PEM. */
  extraCertificates?: { certFile: string; keyFile: string }[];
  /** Stored ACME certificates by resolver and names, for `tls.stores.default.defaultGeneratedCert`. */
  acmeCertificate?: AcmeCertificateLookup;
  /** The registries of this instance (built-ins and plugins): every kind is looked up there. */
  extensions: Extensions;
  logger: Logger;
  generation: number;
  signal: AbortSignal;
}

export interface Generation {
  number: number;
  handlers: Map<string, EntryPointHandlers>;
  /** The TCP routing table of each entrypoint, for its connection dispatcher. */
  tcp: Map<string, TcpRoutingTable>;
  /** The UDP table of each UDP entrypoint. */
  udp: Map<string, UdpTable>;
  runtime: RuntimeConfig;
  /** Certificates, options and, per entrypoint, the SNI → TLS settings routing (with `generatedCertificate`). */
  tls?: { generation: TlsGeneration; routings: Map<string, TlsRouting>; acme: AcmeRequest[] };
}

/**
 * RuntimeConfig + one handler pair per entrypoint from a merged dynamic configuration. Pure apart from
 * the upstream state services acquire: a broken element is disabled with its error, the rest is served.
 */
export function buildGeneration(input: GraphInput): Generation {
  const { config, logger } = input;
  // Rules this generation does not use again are dropped from the cache at the next one.
  compiledRules.nextGeneration();
  const runtime: RuntimeConfig = { routers: {}, services: {}, middlewares: {}, other: [] };
  for (const [name, c] of Object.entries(config.http.services))
    runtime.services[name] = element<RuntimeService>(name, c);
  for (const [name, c] of Object.entries(config.http.middlewares))
    runtime.middlewares[name] = element(name, c);
  applyIssues(input.elementIssues, runtime);

  let middlewareBuilder: MiddlewareBuilder | undefined;
  const services = new ServiceBuilder({
    configs: config.http.services,
    runtime: runtime.services,
    transports: config.http.serversTransports,
    defaultTransport: input.defaultTransport,
    internal: input.internalServices ?? {},
    logger,
    signal: input.signal,
    generation: input.generation,
    registry: input.extensions.services,
    balancers: input.extensions.balancers,
    middlewares: () => middlewareBuilder!,
  });
  middlewareBuilder = new MiddlewareBuilder({
    configs: config.http.middlewares,
    runtime: runtime.middlewares,
    logger,
    signal: input.signal,
    generation: input.generation,
    registry: input.extensions.middlewares,
    service: (name) => services.handler(name),
  });

  const epNames = input.entryPoints.map((e) => e.name);
  const epInfo = new Map(input.entryPoints.map((e) => [e.name, e]));
  const defaults = input.entryPoints.filter((e) => e.asDefault).map((e) => e.name);
  const routes = new Map<string, { http: RouteEntry<HttpHandler>[]; https: RouteEntry<HttpHandler>[] }>();
  for (const ep of epNames) routes.set(ep, { http: [], https: [] });

  const generatedDefault = defaultGeneratedCertificate(config.tls.stores.default, input.acmeCertificate);
  const stores = generatedDefault.certificate
    ? {
        ...config.tls.stores,
        default: { ...config.tls.stores.default, defaultCertificate: generatedDefault.certificate },
      }
    : config.tls.stores;
  const tls = input.generatedCertificate
    ? TlsGeneration.build(
        {
          ...config.tls,
          stores,
          certificates: [...config.tls.certificates, ...(input.extraCertificates ?? [])],
        },
        input.generatedCertificate,
      )
    : undefined;
  if (tls && generatedDefault.error)
    tls.issues.push({ source: DEFAULT_GENERATED_SOURCE, message: generatedDefault.error, level: 'error' });
  const tlsRoutes = tls && new TlsRoutingBuilder(tls, input.routeOptions?.defaultRuleSyntax ?? 'v3');

  for (const [name, router] of Object.entries(config.http.routers)) {
    const provider = providerOf(name);
    const rt = routerElement(name, router, router.priority ?? 0, {
      known: (ep) => routes.has(ep),
      defaults,
      all: epNames,
    });
    runtime.routers[name] = rt;
    let handler: HttpHandler | undefined;
    try {
      const serviceName = qualifyRef(router.service, provider);
      runtime.services[serviceName]?.usedBy.push(name);
      const mwNames = (router.middlewares ?? []).map((m) => qualifyRef(m, provider));
      for (const m of mwNames) runtime.middlewares[m]?.usedBy.push(name);
      const mws = mwNames.map((m) => middlewareBuilder.get(m));
      const service = services.handler(serviceName);
      // With middlewares, the service's own failures must not be blamed on the innermost middleware.
      handler = compose(mws, mws.length > 0 ? guardHandler(service, logger) : service);
    } catch (err) {
      recordError(rt, errorMessage(err));
    }
    let tlsSlots: Map<string, TlsSlot> | undefined;
    for (const ep of rt.status === 'disabled' || !handler || !tlsRoutes ? [] : rt.entryPoints) {
      const info = epInfo.get(ep)!;
      if (!rt.tls && !info.tls) continue;
      const options = TlsRoutingBuilder.optionsName(
        router.tls ? router.tls.options : info.tlsOptions,
        provider,
      );
      const problem = tlsRoutes!.problem(options);
      if (problem) recordError(rt, `building router handler: ${problem}`);
      const { rule, ruleSyntax } = router;
      const certResolver = router.tls ? router.tls.certResolver : info.certResolver;
      const domains = router.tls?.domains;
      tlsSlots ??= new Map();
      tlsSlots.set(
        ep,
        tlsRoutes!.add(ep, { name, runtime: rt, rule, ruleSyntax, options, certResolver, domains }),
      );
    }
    if (rt.status === 'disabled' || !handler) continue;
    const inner = handler;
    const named: HttpHandler = (ctx) => {
      ctx.routerName = name;
      inner(ctx);
    };
    for (const ep of rt.entryPoints) {
      const info = epInfo.get(ep)!;
      let epHandler = named;
      if (info.middlewares?.length) {
        try {
          epHandler = compose(
            info.middlewares.map((m) => middlewareBuilder.get(m)),
            named,
          );
        } catch (err) {
          recordError(rt, `entryPoint ${ep} middlewares: ${errorMessage(err)}`, 'warn');
          continue;
        }
      }
      const slot = tlsSlots?.get(ep);
      if (slot) epHandler = sniCheck(slot, epHandler);
      const entry: RouteEntry<HttpHandler> = {
        name,
        rule: router.rule,
        ruleSyntax: router.ruleSyntax,
        priority: router.priority,
        provider,
        handler: epHandler,
      };
      routes.get(ep)![rt.tls || info.tls ? 'https' : 'http'].push(entry);
    }
  }

  const uses = { middleware: runtime.middlewares, service: runtime.services };
  recordReferenceUses(runtime.middlewares, middlewareParts(input.extensions.middlewares), uses);
  recordReferenceUses(runtime.services, serviceParts(input.extensions.services), uses);

  // Services and middlewares no router uses are still built, so their errors show up.
  for (const name of Object.keys(runtime.services)) safely(() => services.get(name));
  for (const name of Object.keys(runtime.middlewares)) safely(() => middlewareBuilder.get(name));
  for (const [name, svc] of services.builtServices()) {
    const rs = runtime.services[name];
    if (rs) liveServerStatus(rs, svc.serverStatus);
  }

  const handlers = new Map<string, EntryPointHandlers>();
  for (const ep of epNames) {
    const internal = (scheme: 'http' | 'https') =>
      input.internalRoutes
        .filter((r) => r.entryPoint === ep && (r.scheme === undefined || r.scheme === scheme))
        .map((r) => ({
          name: r.name,
          rule: r.rule,
          priority: r.priority,
          provider: 'internal',
          handler: named(r.name, r.handler),
        }));
    const lists = routes.get(ep)!;
    handlers.set(ep, {
      http: tableHandler([...internal('http'), ...lists.http], runtime, input.routeOptions),
      https: tableHandler([...internal('https'), ...lists.https], runtime, input.routeOptions),
    });
  }
  const tcp = buildTcp({
    config,
    elementIssues: input.elementIssues,
    entryPoints: input.entryPoints,
    runtime,
    defaultTransport: input.defaultTcpTransport ?? {
      dialTimeout: 30_000,
      dialKeepAlive: 15_000,
      terminationDelay: 100,
    },
    providerPrecedence: input.routeOptions?.providerPrecedence,
    defaultRuleSyntax: input.routeOptions?.defaultRuleSyntax,
    logger,
    generation: input.generation,
    signal: input.signal,
    tls: tls && { options: (name) => tls.options(name), routes: tlsRoutes! },
    tcpMiddlewares: input.extensions.tcpMiddlewares,
    tcpServices: input.extensions.tcpServices,
  });
  runtime.tcp = tcp.runtime;
  const udp = buildUdp({
    config,
    elementIssues: input.elementIssues,
    entryPoints: input.udpEntryPoints ?? [],
    udpServices: input.extensions.udpServices,
  });
  runtime.udp = udp.runtime;
  const routings = tlsRoutes?.build(epNames);
  return {
    number: input.generation,
    handlers,
    tcp: tcp.tables,
    udp: udp.tables,
    runtime,
    ...(tls && routings
      ? {
          tls: {
            generation: tls,
            routings,
            acme: [
              ...tlsRoutes!.acmeRequests(),
              ...(generatedDefault.request ? [generatedDefault.request] : []),
            ],
          },
        }
      : {}),
  };
}

/** Sets `ctx.routerName` (for logs and metrics) before running the router's handler. */
function named(name: string, handler: HttpHandler): HttpHandler {
  return (ctx) => {
    ctx.routerName = name;
    handler(ctx);
  };
}

function tableHandler(
  entries: RouteEntry<HttpHandler>[],
  runtime: RuntimeConfig,
  options: RouteTableOptions | undefined,
): HttpHandler {
  const { table, errors, warnings } = buildRouteTable(entries, options);
  for (const { name, error } of errors) {
    const rt = runtime.routers[name];
    if (rt) recordError(rt, error.message);
  }
  for (const { name, message } of warnings) {
    const rt = runtime.routers[name];
    if (rt) recordError(rt, message, 'warn');
  }
  return (ctx: HttpContext) => {
    const route = table.match(ctx);
    if (route) route.handler(ctx);
    else sendError(ctx, 'NOT_FOUND');
  };
}

function applyIssues(issues: GraphInput['elementIssues'], runtime: RuntimeConfig): void {
  for (const issue of issues) {
    const el = issue.element ?? '';
    if (isTcpElementIssue(el) || isUdpElementIssue(el)) continue;
    const match = /^http\.(routers|services|middlewares)\.(.+)$/.exec(el);
    if (!match) {
      runtime.other.push({ source: issue.source ?? (el || 'configuration'), message: issue.message });
      continue;
    }
    const kind = match[1] as 'routers' | 'services' | 'middlewares';
    const name = match[2]!;
    const map = runtime[kind] as Record<string, RuntimeElement>;
    let target = map[name];
    if (!target) {
      target = element(
        name,
        undefined,
        kind === 'routers' ? { entryPoints: [], tls: false, priority: 0 } : {},
      );
      map[name] = target;
    }
    recordError(target, issue.message);
  }
}

function safely(fn: () => unknown): void {
  try {
    fn();
  } catch {
    // recorded on the element already
  }
}
