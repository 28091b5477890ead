import type { HttpContext } from '../../core/http-context.js';
import type { HostIndexKeys, RulePredicate } from '../../rules/index.js';

/** A route as the index stores it; `rank` is its position in the global priority order (0 first). */
export interface IndexedRoute<E> {
  readonly rank: number;
  readonly predicate: RulePredicate;
  readonly entry: E;
}

type List<E> = IndexedRoute<E>[];

function push<E>(map: Map<string, List<E>>, key: string, route: IndexedRoute<E>): void {
  const list = map.get(key);
  if (!list) map.set(key, [route]);
  // Routes arrive in rank order, so a route named twice under one key (`Host(a) || Host(a)`) is the last.
  else if (list[list.length - 1] !== route) list.push(route);
}

/**
 * Candidate lists by request host. A route confined to exact hosts is listed under each host, one
 * confined to `*.parent` under its parent, one confined to `**.parent` under its parent (looked up for
 * every ancestor of the request host); all other routes are general. Each list is in rank order, and
 * `match` merges the request's lists with the general list by rank, so it evaluates routes in the same
 * order as a flat priority-sorted list would, skipping only routes that cannot match the host.
 */
export class HostIndex<E> {
  private readonly exact = new Map<string, List<E>>();
  private readonly wildcard = new Map<string, List<E>>();
  private readonly deep = new Map<string, List<E>>();
  private readonly general: List<E> = [];
  // Reused by `match` (synchronous, never re-entered) so merging allocates nothing.
  private readonly lists: List<E>[] = [];
  private readonly cursors: number[] = [];

  /** Adds a route; must be called in rank order. */
  add(route: IndexedRoute<E>, keys: HostIndexKeys | undefined): void {
    if (!keys) {
      this.general.push(route);
      return;
    }
    for (const host of keys.exact) push(this.exact, host, route);
    for (const parent of keys.wildcard) push(this.wildcard, parent, route);
    for (const parent of keys.deepWildcard) push(this.deep, parent, route);
  }

  /** The first route (by rank) whose predicate accepts the request. */
  match(ctx: HttpContext): E | undefined {
    const host = ctx.host;
    const exact = this.exact.get(host);
    if (this.wildcard.size === 0 && this.deep.size === 0) return this.mergeTwo(ctx, exact, this.general);
    let count = 0;
    const lists = this.lists;
    if (exact) lists[count++] = exact;
    if (this.general.length > 0) lists[count++] = this.general;
    let dot = host.indexOf('.');
    if (dot !== -1 && this.wildcard.size > 0) {
      const list = this.wildcard.get(host.slice(dot + 1));
      if (list) lists[count++] = list;
    }
    while (dot !== -1 && this.deep.size > 0) {
      const list = this.deep.get(host.slice(dot + 1));
      if (list) lists[count++] = list;
      dot = host.indexOf('.', dot + 1);
    }
    return this.mergeMany(ctx, count);
  }

  private mergeTwo(ctx: HttpContext, a: List<E> | undefined, b: List<E>): E | undefined {
    let i = 0;
    let j = 0;
    const na = a ? a.length : 0;
    const nb = b.length;
    while (i < na || j < nb) {
      const route = j >= nb || (i < na && a![i]!.rank < b[j]!.rank) ? a![i++]! : b[j++]!;
      if (route.predicate(ctx)) return route.entry;
    }
    return undefined;
  }

  private mergeMany(ctx: HttpContext, count: number): E | undefined {
    const { lists, cursors } = this;
    for (let k = 0; k < count; k++) cursors[k] = 0;
    let lastRank = -1;
    for (;;) {
      let best = -1;
      let bestRank = Number.POSITIVE_INFINITY;
      for (let k = 0; k < count; k++) {
        const list = lists[k]!;
        const c = cursors[k]!;
        if (c < list.length && list[c]!.rank < bestRank) {
          best = k;
          bestRank = list[c]!.rank;
        }
      }
      if (best === -1) return undefined;
      const route = lists[best]![cursors[best]!++]!;
      // A route listed under both the exact host and a wildcard parent is evaluated once.
      if (bestRank === lastRank) continue;
      lastRank = bestRank;
      if (route.predicate(ctx)) return route.entry;
    }
  }
}
