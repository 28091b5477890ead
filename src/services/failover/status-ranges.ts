import { SwitchyardError } from '../../core/errors.js';

/**
 * Parses Traefik status lists (`"500"`, `"500-504"`, comma lists allowed) into a lookup table.
 *
 * @example statusSet(['500-502', '504']).has(501) // true
 */
export function statusSet(entries: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const entry of entries) {
    for (const part of entry.split(',')) {
      const m = /^\s*(\d{3})(?:\s*-\s*(\d{3}))?\s*$/.exec(part);
      if (!m)
        throw new SwitchyardError('CONFIG_INVALID', `status "${part}" is not a code or a range like 500-504`);
      const from = Number(m[1]);
      const to = m[2] === undefined ? from : Number(m[2]);
      if (to < from) throw new SwitchyardError('CONFIG_INVALID', `status range "${part}" is reversed`);
      for (let s = from; s <= to; s++) out.add(s);
    }
  }
  return out;
}
