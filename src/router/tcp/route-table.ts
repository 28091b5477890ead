import { SwitchyardError } from '../../core/errors.js';
import { positiveHostExpressions } from '../../rules/host-analysis.js';
import { compileNode, parseRule, type RuleNode, type RuleSyntax } from '../../rules/index.js';
import { PROVIDER_PRECEDENCE, providerRank } from '../http/provider-precedence.js';
import { TCP_MATCHER_TABLES, type TcpMatchFacts } from './matchers.js';

/** A compiled TCP rule. */
export interface CompiledTcpRule {
  match: (facts: TcpMatchFacts) => boolean;
  /** Exactly ``HostSNI(`*`)``: Traefik lets specific HTTPS and TLS routes go first. */
  catchAll: boolean;
  /** The host names of its `HostSNI` matchers (`*` included). */
  hostSNIs: string[];
}

function isCatchAll(ast: RuleNode): boolean {
  return ast.kind === 'matcher' && ast.name === 'HostSNI' && ast.args.length === 1 && ast.args[0] === '*';
}

/**
 * Parses and compiles a TCP router rule. Throws RULE_SYNTAX with the column of the problem.
 *
 * @example compileTcpRule('HostSNI(`a.test`) && ALPN(`imap`)').match({ host: 'a.test', clientIp: '', alpn: ['imap'] })
 */
export function compileTcpRule(rule: string, syntax: RuleSyntax = 'v3'): CompiledTcpRule {
  const ast = parseRule(rule, syntax, TCP_MATCHER_TABLES);
  const match = compileNode(ast) as unknown as (facts: TcpMatchFacts) => boolean;
  // Unlike hostsOf, `*` is kept: Traefik's ParseHostSNI keeps it (it allows HostSNI(`*`) without TLS).
  const hostSNIs = [...new Set(positiveHostExpressions(ast))];
  return { match, catchAll: isCatchAll(ast), hostSNIs };
}

/** Traefik's default TCP priority: the rule's length, and -1 for ``HostSNI(`*`)`` alone so it goes last. */
export function defaultTcpPriority(rule: string, syntax: RuleSyntax = 'v3'): number {
  try {
    if (isCatchAll(parseRule(rule, syntax, TCP_MATCHER_TABLES))) return -1;
  } catch {
    // an invalid rule keeps its length; the error is reported where the rule is compiled
  }
  return rule.length;
}

/** One route of a table. */
export interface TcpRoute<H> {
  name: string;
  rule: CompiledTcpRule;
  priority: number;
  provider: string | undefined;
  handler: H;
}

/** Routes tried in order: priority (higher first), then provider precedence, as Traefik's TCP muxer. */
export class TcpRouteList<H> {
  private readonly routes: TcpRoute<H>[] = [];

  private readonly precedence: readonly string[];

  constructor(precedence: readonly string[] = PROVIDER_PRECEDENCE) {
    this.precedence = precedence.map((p) => p.toLowerCase());
  }

  add(route: TcpRoute<H>): void {
    this.routes.push(route);
    const rank = (r: TcpRoute<H>) => providerRank(r.provider, this.precedence);
    this.routes.sort((a, b) => b.priority - a.priority || rank(a) - rank(b));
  }

  get size(): number {
    return this.routes.length;
  }

  match(facts: TcpMatchFacts): TcpRoute<H> | undefined {
    for (const route of this.routes) if (route.rule.match(facts)) return route;
    return undefined;
  }

  names(): string[] {
    return this.routes.map((r) => r.name);
  }
}

/** Refuses priorities above Traefik's maximum for user routers. */
export function checkPriority(priority: number, name: string): void {
  const max = Number.MAX_SAFE_INTEGER - 1000;
  if (priority > max && !name.endsWith('@internal'))
    throw new SwitchyardError(
      'CONFIG_INVALID',
      `the router priority ${priority} exceeds the max user-defined priority ${max}`,
    );
}
