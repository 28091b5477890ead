import { SwitchyardError } from '../core/errors.js';

/** Inclusive status ranges, parsed once. */
export type StatusRanges = readonly (readonly [number, number])[];

/**
 * Parses Traefik status lists: each entry is `"500"`, `"500-599"` or a comma list of those.
 *
 * @example parseStatusRanges(['500-599', '404,418'], 'errors') // [[500,599],[404,404],[418,418]]
 */
export function parseStatusRanges(entries: readonly string[], owner: string): StatusRanges {
  const out: [number, number][] = [];
  for (const entry of entries) {
    for (const part of entry.split(',')) {
      const text = part.trim();
      if (text === '') continue;
      const m = /^(\d{3})(?:\s*-\s*(\d{3}))?$/.exec(text);
      const from = m ? Number(m[1]) : Number.NaN;
      const to = m?.[2] !== undefined ? Number(m[2]) : from;
      if (!m || from < 100 || to > 599 || from > to) {
        throw new SwitchyardError(
          'CONFIG_INVALID',
          `${owner}: status ${JSON.stringify(text)} is not a code or a range like 500-599`,
        );
      }
      out.push([from, to]);
    }
  }
  return out;
}

export function inRanges(ranges: StatusRanges, status: number): boolean {
  for (const [from, to] of ranges) if (status >= from && status <= to) return true;
  return false;
}
