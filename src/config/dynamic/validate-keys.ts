import { didYouMean } from '../../core/suggest.js';
import { describeValue, isPlainObject } from '../schema/describe.js';
import type { PathSegment } from '../schema/normalize.js';
import { ELEMENT_SECTIONS } from './index.js';

/** Where a problem is, before the watcher qualifies element names. */
export interface KeyIssue {
  element?: string;
  message: string;
  path: PathSegment[];
}

/** The kinds each top-level section may hold, canonical spelling (`tls.certificates` is a list). */
export const SECTION_KINDS: Readonly<Record<string, readonly string[]>> = (() => {
  const out: Record<string, string[]> = {};
  for (const { section, kind } of ELEMENT_SECTIONS) {
    out[section] ??= [];
    out[section].push(kind);
  }
  out.tls!.push('certificates');
  return out;
})();

/** One key of a mapping matched to its canonical spelling. */
export interface MatchedKey {
  canonical: string;
  raw: string;
  value: unknown;
}

/**
 * Matches the keys of `input` against `known` case-insensitively (Traefik's keys are case-insensitive).
 * Unknown keys and keys given twice in different spellings are reported, with a did-you-mean suggestion.
 * Keys whose value is null (`http:` with nothing under it in YAML) are skipped: they mean "empty".
 */
export function matchKeys(
  input: Record<string, unknown>,
  known: readonly string[],
  at: PathSegment[],
  report: (issue: KeyIssue) => void,
): MatchedKey[] {
  const out: MatchedKey[] = [];
  const seen = new Map<string, string>();
  for (const [raw, value] of Object.entries(input)) {
    const canonical = known.find((k) => k.toLowerCase() === raw.toLowerCase());
    const path = [...at, raw];
    if (canonical === undefined) {
      report({ path, message: `unknown key "${path.join('.')}"${didYouMean(raw, known)}` });
      continue;
    }
    const previous = seen.get(canonical);
    if (previous !== undefined) {
      report({
        path,
        message: `key "${canonical}" is given twice (as "${previous}" and "${raw}"); the second is ignored`,
      });
      continue;
    }
    seen.set(canonical, raw);
    if (value === null || value === undefined) continue;
    out.push({ canonical, raw, value });
  }
  return out;
}

/** Reports a value that should be a mapping and is not; true when it is one. */
export function expectMapping(
  value: unknown,
  path: PathSegment[],
  report: (issue: KeyIssue) => void,
): value is Record<string, unknown> {
  if (isPlainObject(value)) return true;
  report({ path, message: `"${path.join('.')}" must be a mapping, got ${describeValue(value)}` });
  return false;
}
