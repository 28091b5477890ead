import { type RuntimeRouter, recordError } from '../config/runtime/runtime-config.js';
import { type HttpHandler, sendText } from '../core/http-context.js';
import { compileRule, hostsOf, type RuleSyntax } from '../rules/index.js';
import {
  DEFAULT_TLS_OPTIONS,
  SniOptionsTable,
  type TlsGeneration,
  type TlsRouting,
  tlsOptionsNameOf,
} from '../tls/index.js';

/** The options set one router serves with on one entrypoint, known once every router has been seen. */
export interface TlsSlot {
  name: string;
}

/** A certificate a router wants from an ACME resolver (`tls.certResolver`). */
export interface AcmeRequest {
  resolver: string;
  router: string;
  main: string;
  sans: string[];
}

/** A router asking an ACME resolver for certificates: its `tls.domains`, else the names of its rule. */
interface AcmeSource {
  router: string;
  runtime: RuntimeRouter;
  certResolver?: string;
  domains?: { main?: string; sans?: string[] }[];
  hosts: () => string[];
}

interface Entry {
  router: string;
  certResolver?: string;
  domains?: { main?: string; sans?: string[] }[];
  runtime: RuntimeRouter;
  rule: string;
  ruleSyntax: RuleSyntax;
  /** What the router asks for (qualified, or `default`). */
  options: string;
  slot: TlsSlot;
}

/**
 * Builds, with the routers of a generation, the SNI → TLS options table of each entrypoint, the way Traefik
 * decides it: a server name gets the options of the HTTPS routers whose `Host` rule names it; when routers
 * on one entrypoint want different options for one host, those routers fall back to `default` with an
 * error; a router without a host in its rule cannot select options other than `default` (error, and
 * `default` is used). A router whose options are unknown or invalid is disabled, and handshakes for its
 * hosts are refused.
 */
export class TlsRoutingBuilder {
  private readonly entries = new Map<string, Entry[]>();
  /** TCP routers with a `certResolver`: they ask for certificates but take no part in the SNI table. */
  private readonly tcpRequests: AcmeSource[] = [];

  constructor(
    private readonly tls: TlsGeneration,
    private readonly defaultSyntax: RuleSyntax,
  ) {}

  /** The qualified options name a router asks for: its own `tls.options`, else its entrypoint's. */
  static optionsName(reference: string | undefined, provider: string): string {
    if (!reference || reference === DEFAULT_TLS_OPTIONS) return DEFAULT_TLS_OPTIONS;
    return reference.includes('@') ? reference : `${reference}@${provider}`;
  }

  /** Why the options set is unusable, or undefined when it is fine. */
  problem(options: string): string | undefined {
    const choice = this.tls.options(options);
    return 'error' in choice ? choice.error : undefined;
  }

  /** Registers an HTTPS router on an entrypoint; the slot says which options it ends up with. */
  add(
    entryPoint: string,
    router: {
      name: string;
      runtime: RuntimeRouter;
      rule: string;
      ruleSyntax?: string;
      options: string;
      certResolver?: string;
      domains?: { main?: string; sans?: string[] }[];
    },
  ): TlsSlot {
    const slot: TlsSlot = { name: router.options };
    const syntax = (router.ruleSyntax ?? this.defaultSyntax).toLowerCase() === 'v2' ? 'v2' : 'v3';
    router.runtime.tlsInfo ??= {
      slot,
      hosts: hostsIn(router.rule, syntax),
      ...(router.certResolver ? { certResolver: router.certResolver } : {}),
    };
    let list = this.entries.get(entryPoint);
    if (!list) {
      list = [];
      this.entries.set(entryPoint, list);
    }
    list.push({
      router: router.name,
      runtime: router.runtime,
      rule: router.rule,
      ruleSyntax: syntax,
      options: router.options,
      slot,
      ...(router.certResolver ? { certResolver: router.certResolver, domains: router.domains } : {}),
    });
    return slot;
  }

  /**
   * Registers a TCP router that terminates TLS with a `certResolver`: `hosts` are the names of its
   * `HostSNI` matchers (`*` excluded). Its TLS options are its own, as in Traefik, not the SNI table's.
   */
  addTcp(router: AcmeSource): void {
    if (router.certResolver) this.tcpRequests.push(router);
  }

  /**
   * The certificates routers ask ACME resolvers for, once per resolver and domain set: each `tls.domains`
   * entry, or else one certificate for the hosts of the rule (the first is the main name), as Traefik.
   * Wildcard names (`*.a.com`) need the resolver's DNS-01 challenge (checked by the ACME manager).
   */
  acmeRequests(): AcmeRequest[] {
    const out = new Map<string, AcmeRequest>();
    const http = [...this.entries.values()]
      .flat()
      .map((e): AcmeSource => ({ ...e, hosts: () => hostsIn(e.rule, e.ruleSyntax) }));
    for (const e of [...http, ...this.tcpRequests]) {
      if (!e.certResolver) continue;
      const sets = e.domains?.length
        ? e.domains.filter((d) => d.main).map((d) => [d.main!, ...(d.sans ?? [])])
        : [e.hosts()];
      for (const names of sets) {
        if (names.length === 0) continue;
        if (names.some((n) => n.startsWith('**.'))) {
          recordError(
            e.runtime,
            `certResolver ${e.certResolver}: ${names.join(', ')}: a certificate cannot cover **.`,
            'warn',
          );
          continue;
        }
        const [main, ...sans] = names.map((n) => n.toLowerCase());
        const key = `${e.certResolver}\0${main}\0${sans.join(',')}`;
        if (!out.has(key)) out.set(key, { resolver: e.certResolver, router: e.router, main: main!, sans });
      }
    }
    return [...out.values()];
  }

  /** One routing per entrypoint (entrypoints without HTTPS routers get the default options). */
  build(entryPoints: readonly string[]): Map<string, TlsRouting> {
    const routings = new Map<string, TlsRouting>();
    for (const ep of entryPoints) routings.set(ep, this.tls.routing(this.table(ep)));
    return routings;
  }

  private table(entryPoint: string): SniOptionsTable {
    const table = new SniOptionsTable();
    const entries = this.entries.get(entryPoint) ?? [];
    const hosts = new Map<Entry, string[]>();
    const byHost = new Map<string, Map<string, Entry[]>>();
    for (const e of entries) {
      const list = hostsIn(e.rule, e.ruleSyntax);
      hosts.set(e, list);
      if (list.length === 0 && e.options !== DEFAULT_TLS_OPTIONS) {
        fallBack(
          e,
          `no domain found in rule ${e.rule}, the TLS options ${e.options} cannot be applied; default TLS options are used instead`,
        );
      }
      for (const host of list) {
        let groups = byHost.get(host);
        if (!groups) {
          groups = new Map();
          byHost.set(host, groups);
        }
        groups.set(e.options, [...(groups.get(e.options) ?? []), e]);
      }
    }
    for (const [host, groups] of byHost) {
      if (groups.size < 2) continue;
      const names = [...groups.values()].flat();
      const others = (e: Entry) =>
        names
          .filter((o) => o !== e)
          .map((o) => o.router)
          .join(', ');
      for (const e of names) {
        fallBack(
          e,
          `TLS options conflict on entrypoint ${entryPoint} for host ${host} (with ${others(e)}); default TLS options are used instead`,
        );
      }
    }
    for (const e of entries) for (const host of hosts.get(e)!) table.set(host, e.slot.name);
    return table;
  }
}

function fallBack(e: Entry, message: string): void {
  e.slot.name = DEFAULT_TLS_OPTIONS;
  recordError(e.runtime, message, 'warn');
}

function hostsIn(rule: string, syntax: RuleSyntax): string[] {
  try {
    return hostsOf(compileRule(rule, syntax).ast);
  } catch {
    return []; // the route table reports the rule's error
  }
}

/**
 * Traefik's SNI check: a request on a connection terminated with other TLS options than the router's gets
 * `421 Misdirected Request` (the client reused a connection for another host, or its SNI and Host differ).
 */
export function sniCheck(slot: TlsSlot, next: HttpHandler): HttpHandler {
  return (ctx) => {
    const used = tlsOptionsNameOf(ctx.req.socket);
    if (used !== undefined && used !== slot.name) {
      sendText(ctx, 421, 'Misdirected Request\n');
      return;
    }
    next(ctx);
  };
}
