import type { ElementResult } from '../config/dynamic/validate-element.js';

interface Entry {
  fingerprint: string;
  result: ElementResult;
}

/**
 * Remembers one provider's valid elements from one apply to the next, so a configuration change validates
 * (and, through `qualifyMemo`, qualifies) only the elements whose raw definition changed. An element is
 * reused when its raw value serializes to the same JSON as last time; the reused result is the very same
 * frozen object, which lets the later steps recognize it by identity. Broken elements are never kept:
 * their problems carry positions (`file:line:column`) that move when lines are added above them.
 *
 * Use: `begin()`, `validated(...)` for each element, then `commit()` once the whole configuration is
 * validated (a failed apply calls `begin()` again next time and keeps nothing of the failed one).
 */
export class ElementReuse {
  private previous = new Map<string, Entry>();
  private next = new Map<string, Entry>();
  /** Qualified copies by validated element (a reused element keeps its qualified copy too). */
  readonly qualifyMemo = new WeakMap<object, object>();

  begin(): void {
    this.next = new Map();
  }

  /** The result of `validate()` for `element`'s raw value, or the previous one when the value is unchanged. */
  validated(element: string, raw: unknown, validate: () => ElementResult): ElementResult {
    const fingerprint = fingerprintOf(raw);
    if (fingerprint === undefined) return validate();
    const hit = this.previous.get(element);
    if (hit && hit.fingerprint === fingerprint) {
      this.next.set(element, hit);
      return hit.result;
    }
    const result = validate();
    if (result.ok) this.next.set(element, { fingerprint, result });
    return result;
  }

  commit(): void {
    this.previous = this.next;
    this.next = new Map();
  }
}

/**
 * The raw value's JSON, or undefined when it has something JSON does not tell apart (a date and its ISO
 * text, a bigint): such an element is always validated again.
 */
function fingerprintOf(raw: unknown): string | undefined {
  return hasDateOrBigint(raw) ? undefined : JSON.stringify(raw);
}

/** A walk before a plain `JSON.stringify` costs less than a replacer called for every value. */
function hasDateOrBigint(value: unknown): boolean {
  if (typeof value === 'bigint') return true;
  if (typeof value !== 'object' || value === null) return false;
  if (value instanceof Date) return true;
  if (Array.isArray(value)) return value.some(hasDateOrBigint);
  for (const key in value) if (hasDateOrBigint((value as Record<string, unknown>)[key])) return true;
  return false;
}
