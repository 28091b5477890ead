import { SwitchyardError } from '../errors.js';
import { type CharSet, complement, DIGIT, FULL, single, union, WORD } from './char-set.js';

/**
 * A small parser for the JS patterns `translate.ts` writes (a `u`-mode subset), giving the shape that
 * `linear-check.ts` reasons about. Anything it does not know throws, and the caller then treats the
 * pattern as unsafe for the backtracking engine.
 */

export type Atom =
  | { readonly kind: 'chars'; readonly set: CharSet }
  | { readonly kind: 'anchor'; readonly at: 'start' | 'end' | 'word' }
  | { readonly kind: 'group'; readonly alt: Alt }
  | { readonly kind: 'look' };

/** An atom repeated `min` to `max` times (`max` may be Infinity). */
export interface Term {
  readonly atom: Atom;
  readonly min: number;
  readonly max: number;
}
export type Seq = readonly Term[];
export type Alt = readonly Seq[];

const NEWLINE = single(0x0a);
const CONTROL_ESCAPES: Record<string, number> = { f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b };

function unknown(what: string): never {
  throw new SwitchyardError('CONFIG_INVALID', `unexpected ${what} in translated pattern`);
}

export function parseJsPattern(source: string, dotAll: boolean): Alt {
  const p = new Parser(source, dotAll);
  const alt = p.alternation();
  if (p.i !== source.length) unknown(`"${source[p.i]}"`);
  return alt;
}

class Parser {
  i = 0;

  constructor(
    private readonly s: string,
    private readonly dotAll: boolean,
  ) {}

  alternation(): Alt {
    const branches: Seq[] = [this.sequence()];
    while (this.s[this.i] === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    return branches;
  }

  private sequence(): Seq {
    const terms: Term[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') {
      const atom = this.atom();
      terms.push({ atom, ...this.quantifier() });
    }
    return terms;
  }

  private quantifier(): { min: number; max: number } {
    const s = this.s;
    let min = 1;
    let max = 1;
    const c = s[this.i];
    if (c === '*' || c === '+' || c === '?') {
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : Number.POSITIVE_INFINITY;
      this.i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
      if (!m) return unknown('"{"');
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
      this.i += m[0].length;
    } else return { min, max };
    if (s[this.i] === '?') this.i++; // lazy: the same cost model
    return { min, max };
  }

  private atom(): Atom {
    const s = this.s;
    const c = s[this.i]!;
    switch (c) {
      case '^':
        this.i++;
        return { kind: 'anchor', at: 'start' };
      case '$':
        this.i++;
        return { kind: 'anchor', at: 'end' };
      case '.':
        this.i++;
        return { kind: 'chars', set: this.dotAll ? FULL : complement(NEWLINE) };
      case '[':
        return { kind: 'chars', set: this.charClass() };
      case '(':
        return this.group();
      case '\\': {
        const e = s[this.i + 1];
        if (e === 'b' || e === 'B') {
          this.i += 2;
          // V8 finds `\B` between the two halves of a surrogate pair, where Go never looks: RE2 runs it.
          return e === 'b' ? { kind: 'anchor', at: 'word' } : { kind: 'look' };
        }
        return { kind: 'chars', set: this.escape() };
      }
      default: {
        if ('*+?{}])|'.includes(c)) unknown(`"${c}"`);
        const code = s.codePointAt(this.i)!;
        this.i += code > 0xffff ? 2 : 1;
        return { kind: 'chars', set: single(code) };
      }
    }
  }

  private group(): Atom {
    const rest = this.s.slice(this.i, this.i + 4);
    // Only `(?<![\s\S])` / `(?![\s\S])` are written (\A, \z in multi-line mode): never fast-path them.
    const look = /^\(\?<?[=!]/.exec(rest);
    const named = /^\(\?<[A-Za-z0-9_]+>/.exec(this.s.slice(this.i));
    if (look) this.i += look[0].length;
    else if (named) this.i += named[0].length;
    else if (rest.startsWith('(?:')) this.i += 3;
    else if (rest.startsWith('(?')) unknown('group syntax');
    else this.i++;
    const alt = this.alternation();
    if (this.s[this.i] !== ')') unknown('end of group');
    this.i++;
    return look ? { kind: 'look' } : { kind: 'group', alt };
  }

  private charClass(): CharSet {
    const s = this.s;
    this.i++;
    const negated = s[this.i] === '^';
    if (negated) this.i++;
    const parts: CharSet[] = [];
    while (s[this.i] !== ']') {
      if (this.i >= s.length) unknown('end of class');
      const lo = this.classChar();
      if (s[this.i] === '-' && s[this.i + 1] !== ']' && typeof lo === 'number') {
        this.i++;
        const hi = this.classChar();
        if (typeof hi !== 'number') return unknown('range');
        parts.push([[lo, hi]]);
      } else parts.push(typeof lo === 'number' ? single(lo) : lo);
    }
    this.i++;
    const set = union(...parts);
    return negated ? complement(set) : set;
  }

  /** One class member: a code point, or a set for `\d`-like escapes. */
  private classChar(): number | CharSet {
    if (this.s[this.i] !== '\\') {
      const code = this.s.codePointAt(this.i)!;
      this.i += code > 0xffff ? 2 : 1;
      return code;
    }
    const set = this.escape();
    return set.length === 1 && set[0]![0] === set[0]![1] ? set[0]![0] : set;
  }

  private escape(): CharSet {
    const s = this.s;
    const e = s[this.i + 1];
    if (e === undefined) return unknown('trailing backslash');
    this.i += 2;
    if (e in CONTROL_ESCAPES) return single(CONTROL_ESCAPES[e]!);
    switch (e) {
      case 'd':
        return DIGIT;
      case 'D':
        return complement(DIGIT);
      case 'w':
        return WORD;
      case 'W':
        return complement(WORD);
      case 's':
      case 'S':
        return FULL;
      case 'p':
      case 'P': {
        const end = s.indexOf('}', this.i);
        if (s[this.i] !== '{' || end === -1) return unknown('property escape');
        this.i = end + 1;
        return FULL;
      }
      case 'x': {
        const digits = s.slice(this.i, this.i + 2);
        if (!/^[0-9A-Fa-f]{2}$/.test(digits)) return unknown('\\x escape');
        this.i += 2;
        return single(Number.parseInt(digits, 16));
      }
      case 'u': {
        const m = /^\{([0-9A-Fa-f]+)\}/.exec(s.slice(this.i));
        if (!m) return unknown('\\u escape');
        this.i += m[0].length;
        return single(Number.parseInt(m[1]!, 16));
      }
    }
    if (/[0-9A-Za-z]/.test(e)) return unknown(`escape "\\${e}"`);
    const code = s.codePointAt(this.i - 1)!;
    return single(code);
  }
}
