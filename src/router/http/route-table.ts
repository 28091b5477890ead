import { errorMessage, SwitchyardError } from '../../core/errors.js';
import type { HttpContext } from '../../core/http-context.js';
import {
  type CompiledRule,
  compileRule,
  defaultPriority,
  hostsOf,
  indexHosts,
  type RuleSyntax,
  v2PlaceholderWarning,
} from '../../rules/index.js';
import { HostIndex } from './host-index.js';
import { PROVIDER_PRECEDENCE, providerOfName, providerRank } from './provider-precedence.js';

/** One HTTP router as the route table sees it. */
export interface RouteEntry<T> {
  /** Router name, usually qualified (`web@file`). */
  readonly name: string;
  readonly rule: string;
  /** Defaults to the table's `defaultRuleSyntax` (v3). */
  readonly ruleSyntax?: RuleSyntax;
  /** Higher first; 0 or undefined ⇒ `defaultPriority(rule)`; negative values are allowed. */
  readonly priority?: number;
  /** Provider for tie-breaking; defaults to the part of `name` after `@`. */
  readonly provider?: string;
  readonly handler: T;
}

/** Options of `buildRouteTable`. */
export interface RouteTableOptions {
  /** `providers.precedence`; defaults to Traefik's list (`PROVIDER_PRECEDENCE`). */
  readonly providerPrecedence?: readonly string[];
  /** `core.defaultRuleSyntax`; defaults to v3. */
  readonly defaultRuleSyntax?: RuleSyntax;
}

/** A route that compiled, with what was derived from it (for the API and TLS/ACME domains). */
export interface RouteInfo<T> {
  readonly entry: RouteEntry<T>;
  /** Effective priority. */
  readonly priority: number;
  readonly compiled: CompiledRule;
  /** Literal hosts of the rule (`hostsOf`). */
  readonly hosts: readonly string[];
}

/** A router whose rule did not compile; it is left out of the table, the others keep serving. */
export interface RouteBuildError {
  readonly name: string;
  readonly error: SwitchyardError;
}

/** A router that compiled but is likely not what its author meant (v2 placeholders in a v3 rule). */
export interface RouteBuildWarning {
  readonly name: string;
  readonly message: string;
}

/** The HTTP routes of one entrypoint for one configuration generation. */
export interface RouteTable<T> {
  /** The highest-priority route whose rule matches the request, or undefined (→ 404). */
  match(ctx: HttpContext): RouteEntry<T> | undefined;
  /** Compiled routes in evaluation order. */
  readonly routes: readonly RouteInfo<T>[];
}

interface Candidate<T> {
  readonly entry: RouteEntry<T>;
  readonly compiled: CompiledRule;
  readonly priority: number;
  readonly providerRank: number;
  readonly order: number;
}

function effectivePriority(entry: RouteEntry<unknown>): number {
  const p = entry.priority;
  return p === undefined || p === 0 || !Number.isFinite(p) ? defaultPriority(entry.rule) : p;
}

function compare(a: Candidate<unknown>, b: Candidate<unknown>): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.providerRank !== b.providerRank) return a.providerRank - b.providerRank;
  if (a.entry.name !== b.entry.name) return a.entry.name < b.entry.name ? -1 : 1;
  return a.order - b.order;
}

function asRuleError(err: unknown): SwitchyardError {
  return err instanceof SwitchyardError
    ? err
    : new SwitchyardError('RULE_SYNTAX', errorMessage(err), { cause: err });
}

/**
 * Compiles routes into a table, once per configuration generation. Evaluation order: priority
 * descending, then provider precedence, then name. A route whose rule fails to compile is reported in
 * `errors` and left out; the rest of the table is unaffected.
 *
 * Routes confined to specific hosts are indexed by host (see `HostIndex`), so matching a request
 * evaluates only the routes of its host plus the general ones, whatever the number of other hosts.
 *
 * @example
 * const { table, errors } = buildRouteTable([{ name: 'web@file', rule: 'Host(`a.com`)', handler }]);
 * table.match(ctx)?.handler(ctx);
 */
export function buildRouteTable<T>(
  routes: readonly RouteEntry<T>[],
  options: RouteTableOptions = {},
): { table: RouteTable<T>; errors: RouteBuildError[]; warnings: RouteBuildWarning[] } {
  const precedence = (options.providerPrecedence ?? PROVIDER_PRECEDENCE).map((p) => p.toLowerCase());
  const fallbackSyntax = options.defaultRuleSyntax ?? 'v3';
  const errors: RouteBuildError[] = [];
  const warnings: RouteBuildWarning[] = [];
  const candidates: Candidate<T>[] = [];
  routes.forEach((entry, order) => {
    const syntax: RuleSyntax = (entry.ruleSyntax ?? fallbackSyntax).toLowerCase() === 'v2' ? 'v2' : 'v3';
    try {
      const compiled = compileRule(entry.rule, syntax);
      const hint = syntax === 'v3' ? v2PlaceholderWarning(compiled.ast) : undefined;
      if (hint) warnings.push({ name: entry.name, message: hint });
      const provider = entry.provider ?? providerOfName(entry.name);
      candidates.push({
        entry,
        compiled,
        priority: effectivePriority(entry),
        providerRank: providerRank(provider, precedence),
        order,
      });
    } catch (err) {
      errors.push({ name: entry.name, error: asRuleError(err) });
    }
  });
  candidates.sort(compare);

  const index = new HostIndex<RouteEntry<T>>();
  const infos: RouteInfo<T>[] = [];
  candidates.forEach((c, rank) => {
    index.add({ rank, predicate: c.compiled.predicate, entry: c.entry }, indexHosts(c.compiled.ast));
    infos.push({
      entry: c.entry,
      priority: c.priority,
      compiled: c.compiled,
      hosts: hostsOf(c.compiled.ast),
    });
  });
  return { table: { match: (ctx) => index.match(ctx), routes: infos }, errors, warnings };
}
