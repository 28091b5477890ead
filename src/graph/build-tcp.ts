import type { DynamicConfig, TcpServersTransport } from '../config/dynamic/index.js';
import {
  type RuntimeConfig,
  type RuntimeElement,
  type RuntimeRouter,
  type RuntimeService,
  type RuntimeTcp,
  recordError,
} from '../config/runtime/runtime-config.js';
import { errorMessage, SwitchyardError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Lookup } from '../core/registry.js';
import type { TcpMiddlewareDefinition } from '../middlewares/tcp/index.js';
import type { TcpHandler, TcpMiddleware } from '../proxy/tcp/connection.js';
import { HttpsClaims } from '../router/tcp/https-claims.js';
import {
  type CompiledTcpRule,
  checkPriority,
  compileTcpRule,
  defaultTcpPriority,
  TcpRouteList,
} from '../router/tcp/route-table.js';
import type { RuleSyntax } from '../rules/index.js';
import { TcpServiceBuilder } from '../services/tcp/build.js';
import type { TcpServiceDefinition } from '../services/tcp/kinds.js';
import type { TlsChoice } from '../tls/index.js';
import { recordReferenceUses, serviceParts } from './record-uses.js';
import { providerOf, qualifyRef } from './resolve-name.js';
import { element, routerElement } from './runtime-element.js';
import { TlsRoutingBuilder } from './tls-builder.js';

/**
 * Where a TLS connection matched by a TCP router goes: forwarded as it is, or decrypted first with the
 * router's own TLS options (`choice`; absent when the generation has no TLS side, e.g. in unit tests).
 */
export interface TlsTarget {
  passthrough: boolean;
  handler: TcpHandler;
  choice?: TlsChoice;
}

/** The TLS side of the generation, as TCP routers that terminate TLS use it. */
export interface TcpTlsInput {
  options(name: string): TlsChoice | { error: string };
  routes: TlsRoutingBuilder;
}

/**
 * What the connection dispatcher of one entrypoint needs, built per generation: the plain TCP routes, the
 * TLS routes (terminate or passthrough) and which SNI names the entrypoint's HTTPS routers claim.
 */
export interface TcpRoutingTable {
  plain: TcpRouteList<TcpHandler>;
  tls: TcpRouteList<TlsTarget>;
  https: HttpsClaims;
}

export interface TcpGraphInput {
  config: DynamicConfig;
  elementIssues: { element?: string; message: string }[];
  entryPoints: { name: string; asDefault: boolean; tls?: boolean }[];
  /** The HTTP part of this generation's runtime (HTTPS routers claim SNI names). */
  runtime: RuntimeConfig;
  defaultTransport: TcpServersTransport;
  providerPrecedence?: readonly string[];
  defaultRuleSyntax?: RuleSyntax;
  logger: Logger;
  generation: number;
  signal: AbortSignal;
  tls?: TcpTlsInput | undefined;
  /** The TCP middleware kinds. */
  tcpMiddlewares: Lookup<TcpMiddlewareDefinition>;
  /** The TCP service kinds: the graph builder looks each service's kind up here. */
  tcpServices: Lookup<TcpServiceDefinition>;
}

const ISSUE = /^tcp\.(routers|services|middlewares)\.(.+)$/;

/** Validation issues of TCP elements: each element is listed, disabled, with its error. */
function applyTcpIssues(issues: TcpGraphInput['elementIssues'], tcp: RuntimeTcp): void {
  for (const issue of issues) {
    const m = ISSUE.exec(issue.element ?? '');
    if (!m) continue;
    const map = tcp[m[1] as keyof RuntimeTcp] as Record<string, RuntimeElement>;
    const name = m[2]!;
    map[name] ??= element(
      name,
      undefined,
      m[1] === 'routers' ? { entryPoints: [], tls: false, priority: 0 } : {},
    );
    recordError(map[name]!, issue.message);
  }
}

/** True for validation issues that `buildTcp` records on TCP elements. */
export function isTcpElementIssue(element: string): boolean {
  return ISSUE.test(element);
}

/**
 * The TCP routing table of every entrypoint and the `tcp` part of the runtime, as Traefik's TCP router
 * manager builds them: a broken router, service or middleware is disabled with its error, the rest serves.
 */
export function buildTcp(input: TcpGraphInput): {
  tables: Map<string, TcpRoutingTable>;
  runtime: RuntimeTcp;
} {
  const { config, logger } = input;
  const tcp: RuntimeTcp = { routers: {}, services: {}, middlewares: {} };
  for (const [name, c] of Object.entries(config.tcp.services))
    tcp.services[name] = element<RuntimeService>(name, c);
  for (const [name, c] of Object.entries(config.tcp.middlewares)) tcp.middlewares[name] = element(name, c);
  applyTcpIssues(input.elementIssues, tcp);

  const kinds = input.tcpServices;
  const services = new TcpServiceBuilder({
    configs: config.tcp.services,
    runtime: tcp.services,
    transports: config.tcp.serversTransports,
    defaultTransport: input.defaultTransport,
    kinds,
    logger,
    signal: input.signal,
    generation: input.generation,
  });
  const middleware = middlewareBuilder(config, tcp, logger, input.generation, input.tcpMiddlewares);

  const tables = new Map<string, TcpRoutingTable>();
  for (const ep of input.entryPoints) {
    tables.set(ep.name, {
      plain: new TcpRouteList(input.providerPrecedence),
      tls: new TcpRouteList(input.providerPrecedence),
      https: new HttpsClaims(ep.name, !!ep.tls, input.runtime, config.http.routers, input.defaultRuleSyntax),
    });
  }
  const defaults = input.entryPoints.filter((e) => e.asDefault).map((e) => e.name);
  const all = input.entryPoints.map((e) => e.name);

  for (const [name, router] of Object.entries(config.tcp.routers)) {
    const provider = providerOf(name);
    const priority = router.priority || defaultTcpPriority(router.rule, syntaxOf(router.ruleSyntax, input));
    const rt = routerElement(name, router, priority, { known: (ep) => tables.has(ep), defaults, all });
    tcp.routers[name] = rt;
    let handler: TcpHandler | undefined;
    let rule: ReturnType<typeof compileTcpRule> | undefined;
    try {
      if (!router.service)
        throw new SwitchyardError('CONFIG_MISSING', 'the service is missing on the router');
      if (!router.rule) throw new SwitchyardError('CONFIG_MISSING', 'router has no rule');
      rule = compileTcpRule(router.rule, syntaxOf(router.ruleSyntax, input));
      if (rule.hostSNIs.length > 0 && !router.tls && rule.hostSNIs[0] !== '*') {
        throw new SwitchyardError(
          'CONFIG_INVALID',
          `invalid rule: "${router.rule}", has HostSNI matcher, but no TLS on router`,
        );
      }
      checkPriority(rt.priority, name);
      const serviceName = qualifyRef(router.service, provider);
      tcp.services[serviceName]?.usedBy.push(name);
      const mws = (router.middlewares ?? []).map((m) => qualifyRef(m, provider));
      for (const m of mws) tcp.middlewares[m]?.usedBy.push(name);
      const chain = mws.map((m) => middleware(m));
      handler = chain.reduceRight((next, mw) => mw(next), services.get(serviceName).handler);
    } catch (err) {
      recordError(rt, errorMessage(err));
    }
    const choice =
      router.tls && !router.tls.passthrough ? terminate(name, router.tls, rt, rule, input) : undefined;
    if (rt.status === 'disabled' || !handler || !rule) continue;
    for (const ep of rt.entryPoints) {
      const table = tables.get(ep)!;
      const route = { name, rule, priority: rt.priority, provider };
      if (!router.tls) table.plain.add({ ...route, handler });
      else
        table.tls.add({
          ...route,
          handler: { passthrough: router.tls.passthrough === true, handler, ...(choice ? { choice } : {}) },
        });
    }
  }

  recordReferenceUses(tcp.services, serviceParts(kinds), { service: tcp.services });

  // Services and middlewares no router uses are still built, so their errors show up.
  for (const name of Object.keys(tcp.services)) safely(() => services.get(name));
  for (const name of Object.keys(tcp.middlewares)) safely(() => middleware(name));
  for (const [name, svc] of services.builtServices()) {
    const rs = tcp.services[name];
    if (rs && config.tcp.services[name]?.loadBalancer) rs.serverStatus = svc.serverStatus();
  }
  return { tables, runtime: tcp };
}

/**
 * The TLS options a terminating TCP router uses, as Traefik: its own `tls.options` (qualified with its
 * provider), whatever the HTTPS routers of the same names use; unknown or invalid options disable it. A
 * `certResolver` asks for the certificates of `tls.domains`, else of its `HostSNI` names.
 */
function terminate(
  name: string,
  tls: NonNullable<DynamicConfig['tcp']['routers'][string]['tls']>,
  rt: RuntimeRouter,
  rule: CompiledTcpRule | undefined,
  input: TcpGraphInput,
): TlsChoice | undefined {
  if (!input.tls) return undefined;
  const options = TlsRoutingBuilder.optionsName(tls.options, providerOf(name));
  const choice = input.tls.options(options);
  if ('error' in choice) {
    recordError(rt, choice.error);
    return undefined;
  }
  input.tls.routes.addTcp({
    router: name,
    runtime: rt,
    certResolver: tls.certResolver,
    domains: tls.domains,
    hosts: () => (rule?.hostSNIs ?? []).filter((h) => h !== '*'),
  });
  return choice;
}

function syntaxOf(ruleSyntax: string | undefined, input: TcpGraphInput): RuleSyntax {
  const s = (ruleSyntax || input.defaultRuleSyntax || 'v3').toLowerCase();
  return s === 'v2' ? 'v2' : 'v3';
}

/** TCP middlewares by qualified name, each built once per generation. */
function middlewareBuilder(
  config: DynamicConfig,
  tcp: RuntimeTcp,
  logger: Logger,
  generation: number,
  registry: Lookup<TcpMiddlewareDefinition>,
) {
  const built = new Map<string, TcpMiddleware>();
  return (name: string): TcpMiddleware => {
    const hit = built.get(name);
    if (hit) return hit;
    const mc = config.tcp.middlewares[name];
    const rt = tcp.middlewares[name];
    if (!mc || !rt || rt.status === 'disabled')
      throw new SwitchyardError('CONFIG_REFERENCE', `middleware "${name}" does not exist or is disabled`);
    const def = registry.get(mc.type);
    try {
      if (!def) throw new SwitchyardError('CONFIG_INVALID', `unknown TCP middleware type "${mc.type}"`);
      const mw = def.create(mc.options as never, {
        name,
        logger: logger.child({ middleware: name }),
        generation,
      });
      built.set(name, mw);
      return mw;
    } catch (err) {
      recordError(rt, errorMessage(err));
      throw err;
    }
  };
}

function safely(fn: () => unknown): void {
  try {
    fn();
  } catch {
    // recorded on the element already
  }
}
