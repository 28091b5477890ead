import { type FlatKeyOptions, segmentsOf } from './decode.js';

/**
 * A dynamic-configuration tree → flat keys, the inverse of `decodeFlatKeys`: lists become numbered
 * segments, scalars their string form, an empty object `true` (`tls: {}` → `…/tls = true`). Null,
 * undefined and empty lists write nothing.
 *
 * @example encodeFlatKeys({ http: { routers: { r: { rule: 'Path(`/`)' } } } }, { separator: '/', prefix: 'traefik' })
 *   // → [['traefik/http/routers/r/rule', 'Path(`/`)']]
 */
export function encodeFlatKeys(tree: unknown, opts: FlatKeyOptions): [string, string][] {
  const out: [string, string][] = [];
  const sep = opts.separator;
  const raw = opts.prefix ?? '';
  // Keep the prefix as written (a leading separator matters to etcd and Redis), without a trailing one.
  const prefix = segmentsOf(raw, sep).length === 0 ? '' : raw.endsWith(sep) ? raw.slice(0, -sep.length) : raw;
  const walk = (value: unknown, path: string[]): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(item, [...path, String(i)]);
      });
      return;
    }
    if (typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0 && path.length > 0) out.push([join(path), 'true']);
      for (const [k, v] of entries) walk(v, [...path, k]);
      return;
    }
    if (path.length > 0) out.push([join(path), String(value)]);
  };
  const join = (path: string[]) => (prefix === '' ? path.join(sep) : `${prefix}${sep}${path.join(sep)}`);
  walk(tree, []);
  return out;
}
