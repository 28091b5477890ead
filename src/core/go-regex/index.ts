import type { RE2JS } from 're2js';
import { type ErrorCode, errorMessage, SwitchyardError } from '../errors.js';
import { lazyModule } from '../lazy-module.js';
import { isLinearUnderBacktracking } from './linear-check.js';
import { translateGoRegex } from './translate.js';

/**
 * The one regular-expression facility for Go (RE2) patterns: rules (`HostRegexp`, `PathRegexp`,
 * `HeaderRegexp`, `QueryRegexp`, v2 templates), middlewares (`replacePathRegex`, `redirectRegex`,
 * `stripPrefixRegex`, CORS origin lists, forwardAuth header filters) and provider constraints.
 *
 * Syntax is checked by RE2 (the `re2js` port), so Go's rules and error messages apply. Matching runs in
 * time linear in the input: patterns that `linear-check.ts` proves safe run on V8's (faster) engine after
 * translation; all others, and those JS cannot express, run on RE2's automata. docs/design/regex.md has
 * the measurements behind this choice.
 *
 * @example
 *   const re = compileGoRegex('^/users/(?P<id>[0-9]+)$');
 *   re.exec('/users/42')?.groups?.id; // '42'
 */

/** A match: `[0]` the whole text, `[n]` group n (undefined when it did not take part). */
export interface GoMatch {
  readonly index: number;
  readonly [group: number]: string | undefined;
  readonly 0: string;
  readonly groups?: Readonly<Record<string, string | undefined>>;
}

export interface GoRegex {
  /** The Go pattern as written. */
  readonly pattern: string;
  /** Which engine runs it: `backtracking` only for patterns proven linear, else `re2`. */
  readonly engine: 'backtracking' | 're2';
  /** Whether the pattern matches anywhere in `input` (Go's `MatchString`). */
  test(input: string): boolean;
  /** The leftmost match at or after `from` (Go's `FindStringSubmatch`), or null. */
  exec(input: string, from?: number): GoMatch | null;
}

export interface GoRegexOptions {
  /** Match ignoring case, as a leading `(?i)`. */
  readonly caseInsensitive?: boolean;
  /** Who owns the pattern, for the error message ("stripPrefixRegex: regex … is invalid: …"). */
  readonly owner?: string;
  /** Error code thrown for an invalid pattern (default CONFIG_INVALID). */
  readonly code?: ErrorCode;
}

/** RE2 (260 KiB of source and its Unicode tables) loads with the first pattern, not at every start. */
const re2js = lazyModule<typeof import('re2js')>('re2js');

const HINTS: [RegExp, string][] = [
  [/\(\?<?[=!]/, 'Go regular expressions have no lookahead or lookbehind'],
  [/\\[1-9]/, 'Go regular expressions have no backreferences'],
];

/** Compiles a Go regular expression; throws a SwitchyardError naming the reason when it is invalid. */
export function compileGoRegex(pattern: string, options: GoRegexOptions = {}): GoRegex {
  const source = options.caseInsensitive ? `(?i)${pattern}` : pattern;
  let re2: RE2JS;
  try {
    re2 = re2js().RE2JS.compile(source);
  } catch (err) {
    const reason = errorMessage(err).replace(/^error parsing regexp: /, '');
    const hint = HINTS.find(([re]) => re.test(pattern))?.[1];
    const text = hint === undefined ? reason : `${reason} (${hint})`;
    throw new SwitchyardError(
      options.code ?? 'CONFIG_INVALID',
      options.owner === undefined
        ? text
        : `${options.owner}: regex ${JSON.stringify(pattern)} is invalid: ${text}`,
      { cause: err },
    );
  }
  const fast = backtrackingRegex(source);
  return fast === undefined ? new Re2Regex(pattern, re2) : new V8Regex(pattern, fast);
}

/** The V8 RegExp (sticky-free, global for `exec(from)`) when the pattern is proven linear on it. */
function backtrackingRegex(source: string): RegExp | undefined {
  try {
    const t = translateGoRegex(source);
    if (!isLinearUnderBacktracking(t.source, t.flags)) return undefined;
    return new RegExp(t.source, `${t.flags}g`);
  } catch {
    return undefined; // JS cannot express it: RE2 runs it
  }
}

class V8Regex implements GoRegex {
  readonly engine = 'backtracking';

  constructor(
    readonly pattern: string,
    private readonly re: RegExp,
  ) {}

  test(input: string): boolean {
    this.re.lastIndex = 0;
    return this.re.test(input);
  }

  exec(input: string, from = 0): GoMatch | null {
    this.re.lastIndex = from;
    return this.re.exec(input);
  }
}

class Re2Regex implements GoRegex {
  readonly engine = 're2';
  private readonly names: readonly [string, number][];

  constructor(
    readonly pattern: string,
    private readonly re: RE2JS,
  ) {
    this.names = Object.entries(re.namedGroups() as Record<string, number>);
  }

  test(input: string): boolean {
    return this.re.test(input);
  }

  exec(input: string, from = 0): GoMatch | null {
    const m = this.re.matcher(input);
    if (!m.find(from)) return null;
    const out: (string | undefined)[] & { index?: number; groups?: Record<string, string | undefined> } = [];
    for (let g = 0; g <= m.groupCount(); g++) out.push(m.group(g) ?? undefined);
    out.index = m.start();
    if (this.names.length > 0) {
      const groups: Record<string, string | undefined> = {};
      for (const [name, n] of this.names) groups[name] = out[n];
      out.groups = groups;
    }
    return out as unknown as GoMatch;
  }
}
