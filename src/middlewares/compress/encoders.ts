import zlib from 'node:zlib';

/** A streaming compressor factory per encoding this Node.js offers (zstd needs Node ≥ 22.15). */
export const ENCODERS: Record<string, () => zlib.Gzip | zlib.BrotliCompress> = {
  gzip: () => zlib.createGzip(),
  br: () => zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }),
};
const zstd = (zlib as unknown as { createZstdCompress?: () => zlib.Gzip }).createZstdCompress;
if (typeof zstd === 'function') ENCODERS.zstd = () => zstd();

/**
 * Picks the encoding for an Accept-Encoding value: the first of `offered` (server preference) that the
 * client accepts with q > 0; `*` accepts any not listed with q=0. undefined: none.
 */
export function negotiate(
  accept: string,
  offered: readonly string[],
  fallback: string | undefined,
): string | undefined {
  const q = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q=([\d.]+)\s*$/.exec(p);
      if (m) weight = Number(m[1]);
    }
    q.set(name, weight);
  }
  for (const enc of offered) if ((q.get(enc) ?? 0) > 0) return enc;
  const star = q.get('*');
  if (star !== undefined && star > 0) {
    if (fallback !== undefined && q.get(fallback) !== 0) return fallback;
    for (const enc of offered) if (!q.has(enc)) return enc;
  }
  return undefined;
}
