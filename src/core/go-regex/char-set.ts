/**
 * Sets of code points as sorted, disjoint, inclusive ranges: just enough to tell whether two regex atoms
 * can match the same character (`linear-check.ts`). `FULL` stands for "any character" and is also the
 * conservative answer for what is not modelled (Unicode properties, non-ASCII case folding).
 */
export type CharSet = readonly (readonly [number, number])[];

export const MAX_CODE_POINT = 0x10ffff;
export const FULL: CharSet = [[0, MAX_CODE_POINT]];
export const EMPTY: CharSet = [];

export const DIGIT: CharSet = [[0x30, 0x39]];
export const WORD: CharSet = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];

export function single(code: number): CharSet {
  return [[code, code]];
}

export function union(...sets: CharSet[]): CharSet {
  const all = sets.flat().sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of all) {
    const last = out[out.length - 1];
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function complement(set: CharSet): CharSet {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of union(set)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

export function intersects(a: CharSet, b: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [alo, ahi] = a[i]!;
    const [blo, bhi] = b[j]!;
    if (alo <= bhi && blo <= ahi) return true;
    if (ahi < bhi) i++;
    else j++;
  }
  return false;
}

/**
 * The set under case-insensitive matching: ASCII letters gain their other case (and `k`/`s` their
 * Unicode folds, KELVIN SIGN and LONG S); a set holding any other non-ASCII character becomes FULL.
 */
export function caseFolded(set: CharSet): CharSet {
  const extra: [number, number][] = [];
  for (const [lo, hi] of set) {
    if (hi >= 0x80) return FULL;
    for (let c = lo; c <= hi; c++) {
      const lower = c | 0x20;
      if (lower < 0x61 || lower > 0x7a) continue;
      extra.push([c ^ 0x20, c ^ 0x20]);
      if (lower === 0x6b) extra.push([0x212a, 0x212a]);
      if (lower === 0x73) extra.push([0x17f, 0x17f]);
    }
  }
  return union(set, extra);
}
