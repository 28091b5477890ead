/** Options shared by the flat-key codec: how segments are joined, and the prefix the keys live under. */
export interface FlatKeyOptions {
  /** `/` for KV stores, `.` for container labels. */
  separator: string;
  /** Only keys under this prefix are read (and it is removed); written keys start with it. */
  prefix?: string;
}

type Node = { value?: string; children?: Map<string, Node> };

/** The prefix's segments, empty ones (leading or doubled separators) dropped. */
export function segmentsOf(key: string, separator: string): string[] {
  return key.split(separator).filter((s) => s !== '');
}

/**
 * Flat keys → the raw dynamic-configuration tree. Keys outside `prefix` are ignored. An object whose keys
 * are all numbers becomes a list ordered by number (gaps closed). A key that holds a value and also has
 * keys below it (`…/tls = true` and `…/tls/options = x`) keeps the keys below: the value only said
 * "enabled". Values stay strings; the validator converts them.
 *
 * @example decodeFlatKeys([['traefik/http/routers/r/entryPoints/0', 'web']], { separator: '/', prefix: 'traefik' })
 *   // → { http: { routers: { r: { entryPoints: ['web'] } } } }
 */
export function decodeFlatKeys(pairs: Iterable<[string, string]>, opts: FlatKeyOptions): unknown {
  const prefix = segmentsOf(opts.prefix ?? '', opts.separator);
  const root: Node = {};
  for (const [key, value] of pairs) {
    const segments = segmentsOf(key, opts.separator);
    if (!startsWith(segments, prefix)) continue;
    let node = root;
    for (const segment of segments.slice(prefix.length)) {
      node.children ??= new Map();
      let next = node.children.get(segment);
      if (!next) {
        next = {};
        node.children.set(segment, next);
      }
      node = next;
    }
    if (node !== root) node.value = value;
  }
  return root.children ? toTree(root) : {};
}

function startsWith(segments: string[], prefix: string[]): boolean {
  if (segments.length < prefix.length) return false;
  return prefix.every((p, i) => segments[i] === p);
}

function toTree(node: Node): unknown {
  if (!node.children || node.children.size === 0) return node.value ?? '';
  const keys = [...node.children.keys()];
  if (keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => toTree(node.children!.get(k)!));
  }
  const out: Record<string, unknown> = {};
  for (const [k, child] of node.children) out[k] = toTree(child);
  return out;
}
