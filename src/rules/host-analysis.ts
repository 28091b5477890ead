import type { RuleNode } from './ast.js';
import { parseHostPattern } from './host-pattern.js';

/**
 * What a rule says about the request host, found statically: the literal hosts it names (for TLS
 * options and ACME domains) and, when the rule can only match a known set of hosts, that set (for the
 * router's host index).
 */

/** Host expressions of the non-negated host matchers, in rule order (duplicates kept). */
export function positiveHostExpressions(node: RuleNode, negated = false, out: string[] = []): string[] {
  switch (node.kind) {
    case 'matcher':
      if (!negated && node.definition.hostExpressions)
        out.push(...node.definition.hostExpressions(node.args));
      break;
    case 'not':
      positiveHostExpressions(node.operand, !negated, out);
      break;
    default:
      positiveHostExpressions(node.left, negated, out);
      positiveHostExpressions(node.right, negated, out);
  }
  return out;
}

/**
 * The hosts named by the rule's non-negated `Host` (v2: also `HostHeader`) matchers, lowercased, without
 * trailing dot, deduplicated. Wildcards (`*.a.com`, `**.a.com`) are kept as written; the catch-all `*` is
 * left out. Like Traefik, hosts under `||` count too.
 *
 * @example hostsOf(parseRule('Host(`A.com`) || (Host(`b.com`) && !Host(`c.com`))')) → ['a.com', 'b.com']
 */
export function hostsOf(ast: RuleNode): string[] {
  return [...new Set(positiveHostExpressions(ast))].filter((h) => h !== '*');
}

/** Hosts a rule is confined to: exact hosts, parents of `*.parent` and parents of `**.parent`. */
export interface HostIndexKeys {
  readonly exact: readonly string[];
  readonly wildcard: readonly string[];
  readonly deepWildcard: readonly string[];
}

function size(keys: HostIndexKeys): number {
  return keys.exact.length + keys.wildcard.length + keys.deepWildcard.length;
}

function union(a: HostIndexKeys, b: HostIndexKeys): HostIndexKeys {
  const merge = (x: readonly string[], y: readonly string[]): string[] => [...new Set([...x, ...y])];
  return {
    exact: merge(a.exact, b.exact),
    wildcard: merge(a.wildcard, b.wildcard),
    deepWildcard: merge(a.deepWildcard, b.deepWildcard),
  };
}

function keysOf(node: RuleNode, negated: boolean): HostIndexKeys | undefined {
  switch (node.kind) {
    case 'matcher': {
      if (negated || !node.definition.hostExpressions) return undefined;
      const keys = { exact: [] as string[], wildcard: [] as string[], deepWildcard: [] as string[] };
      for (const expression of node.definition.hostExpressions(node.args)) {
        const pattern = parseHostPattern(expression);
        if (pattern.kind === 'any') return undefined;
        if (pattern.kind === 'exact') keys.exact.push(pattern.host);
        else (pattern.deep ? keys.deepWildcard : keys.wildcard).push(pattern.parent);
      }
      return keys;
    }
    case 'not':
      return keysOf(node.operand, !negated);
    default: {
      // De Morgan: under a negation, && behaves as || and the other way round.
      const conjunction = (node.kind === 'and') !== negated;
      const left = keysOf(node.left, negated);
      const right = keysOf(node.right, negated);
      if (!conjunction) return left && right ? union(left, right) : undefined;
      if (left && right) return size(left) <= size(right) ? left : right;
      return left ?? right;
    }
  }
}

/**
 * The host index analysis: when every request the rule can match has a host among the returned keys,
 * returns them; otherwise (no host constraint, `Host(*)`, a negated host…) undefined.
 * `Host(a) && X` → {a}; `Host(a) || Host(b)` → {a, b}; `Host(*.a.com)` → wildcard {a.com};
 * `Host(a) || Path(/)` → undefined.
 */
export function indexHosts(ast: RuleNode): HostIndexKeys | undefined {
  return keysOf(ast, false);
}
