/**
 * Host expressions of the v3 `Host` matcher: an exact host, `*` (any host, even none), `*.example.com`
 * (exactly one label before `example.com`) or `**.example.com` (one or more labels). Expressions are
 * compared lowercased and without a trailing dot; request hosts arrive canonical (`HttpContext.host`).
 */
export type HostPattern =
  | { readonly kind: 'exact'; readonly host: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'wildcard'; readonly parent: string; readonly deep: boolean };

/** Lowercases and drops one trailing dot: the form request hosts are compared in. */
export function normalizeHost(expression: string): string {
  const lower = expression.toLowerCase();
  return lower.length > 1 && lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Classifies a (normalized) v3 host expression. */
export function parseHostPattern(expression: string): HostPattern {
  const host = normalizeHost(expression);
  if (host === '*') return { kind: 'any' };
  if (host.startsWith('**.') && host.length > 3)
    return { kind: 'wildcard', parent: host.slice(3), deep: true };
  if (host.startsWith('*.') && host.length > 2)
    return { kind: 'wildcard', parent: host.slice(2), deep: false };
  return { kind: 'exact', host };
}

/** True when `host` (canonical) has `parent` as a proper suffix after a dot, with a non-empty rest. */
function underParent(host: string, parent: string): boolean {
  const cut = host.length - parent.length - 1;
  return cut > 0 && host.charCodeAt(cut) === 46 /* . */ && host.endsWith(parent);
}

/** Compiles a host pattern into a test over canonical request hosts. */
export function hostPatternTest(pattern: HostPattern): (host: string) => boolean {
  switch (pattern.kind) {
    case 'any':
      return () => true;
    case 'exact': {
      const expected = pattern.host;
      return (host) => host === expected;
    }
    case 'wildcard': {
      const { parent, deep } = pattern;
      if (deep) return (host) => underParent(host, parent);
      // Exactly one label: no dot before the parent.
      return (host) =>
        underParent(host, parent) && host.lastIndexOf('.', host.length - parent.length - 2) === -1;
    }
  }
}

/** The label-parent of a canonical host (`a.b.com` → `b.com`), or '' when it has a single label. */
export function parentDomain(host: string): string {
  const dot = host.indexOf('.');
  return dot === -1 ? '' : host.slice(dot + 1);
}
