import { SwitchyardError } from '../errors.js';
import { POSIX_CLASSES, unicodeClassName } from './classes.js';

/**
 * Go (RE2) regular expressions → JavaScript `RegExp` source, for the backtracking fast path of
 * `compileGoRegex` (see `index.ts`; the pattern was already checked by the RE2 engine).
 *
 * The two dialects agree on most syntax; this translator rewrites what differs (leading `(?i)`/`(?s)`/`(?m)`,
 * also right after a leading `^`, → flags, `(?P<n>` → `(?<n>`, `\z`, `\A`, `\Q…\E`, `\x{…}`, octal escapes,
 * `\pL`/`\p{Greek}`, POSIX `[[:alpha:]]`, ASCII-only `\s`, `.` that excludes only `\n`, literal `{`/`}`/`]`)
 * and throws for what JS cannot express (inline flags after the start, `(?U)`, negated POSIX classes):
 * such patterns run on the linear-time engine only. The JS pattern always uses the `u` flag, which gives
 * Go's code-point semantics.
 */

/** Characters that keep a backslash in a JS `u` pattern; other escaped punctuation becomes `\xHH`. */
const JS_SYNTAX = '^$\\.*+?()[]{}|/';
const GO_SPACE = '\\t\\n\\f\\r ';
const MAX_REPEAT = 1000;
/** Escapes both dialects read the same way. */
const SAME_ESCAPES = 'dDwWfnrtv';

/** The JS equivalent of a Go pattern. */
export interface TranslatedRegex {
  readonly source: string;
  readonly flags: string;
}

function reject(message: string): never {
  throw new SwitchyardError('CONFIG_INVALID', message);
}

function hex(code: number): string {
  return `\\u{${code.toString(16)}}`;
}

function isOctal(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '7';
}

/** Go lets a backslash escape any ASCII character that is not a letter or digit. */
function isEscapableAscii(c: string): boolean {
  return c.charCodeAt(0) < 0x80 && !/[0-9A-Za-z]/.test(c);
}

/** Translates a (valid) Go regular expression; throws CONFIG_INVALID when JS cannot express it. */
export function translateGoRegex(goPattern: string): TranslatedRegex {
  // `^(?i)…` means `(?i)^…` for the flags that do not change what `^` matches (Traefik's examples use it).
  const hoist = /^\^(\(\?[isU]+\))+/.exec(goPattern);
  const pattern = hoist ? `${hoist[0].slice(1)}^${goPattern.slice(hoist[0].length)}` : goPattern;
  let i = 0;
  let flags = '';
  for (let m = /^\(\?([imsU]+)\)/.exec(pattern); m; m = /^\(\?([imsU]+)\)/.exec(pattern.slice(i))) {
    if (m[1]!.includes('U')) reject('the ungreedy flag (?U) is not supported');
    for (const f of m[1]!) if (!flags.includes(f)) flags += f;
    i += m[0].length;
  }
  const t = new Translator(pattern, flags.includes('m'), flags.includes('s'));
  return { source: t.run(i), flags: `${[...flags].sort().join('')}u` };
}

class Translator {
  private out = '';

  constructor(
    private readonly p: string,
    private readonly multiline: boolean,
    private readonly dotAll: boolean,
  ) {}

  run(start: number): string {
    const p = this.p;
    let i = start;
    let inClass = false;
    while (i < p.length) {
      const c = p[i]!;
      if (inClass) {
        if (c === ']') {
          inClass = false;
          this.out += ']';
          i++;
        } else if (c === '[' && p[i + 1] === ':') i = this.posixClass(i);
        else if (c === '\\') i = this.escape(i, true);
        else {
          this.out += c === '[' ? '\\[' : c;
          i++;
        }
        continue;
      }
      switch (c) {
        case '\\':
          i = this.escape(i, false);
          break;
        case '[':
          this.out += '[';
          i++;
          if (p[i] === '^') {
            this.out += '^';
            i++;
          }
          // Go reads a `]` right after `[` or `[^` as a literal; JS would close an empty class.
          if (p[i] === ']') {
            this.out += '\\]';
            i++;
          }
          inClass = true;
          break;
        case '(':
          i = this.group(i);
          break;
        case '{':
          i = this.brace(i);
          break;
        case '}':
        case ']':
          this.out += `\\${c}`;
          i++;
          break;
        case '.':
          this.out += this.dotAll ? '.' : '[^\\n]';
          i++;
          break;
        default:
          this.out += c;
          i++;
      }
    }
    if (inClass) reject('missing closing ]');
    return this.out;
  }

  private group(i: number): number {
    const rest = this.p.slice(i);
    if (!rest.startsWith('(?')) {
      this.out += '(';
      return i + 1;
    }
    if (rest.startsWith('(?:')) {
      this.out += '(?:';
      return i + 3;
    }
    const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(rest);
    if (named) {
      this.out += `(?<${named[1]}>`;
      return i + named[0].length;
    }
    if (/^\(\?<?[=!]/.test(rest))
      return reject('lookahead and lookbehind assertions are not supported by Go');
    if (/^\(\?-?[imsU-]*[:)]/.test(rest)) {
      return reject('flags such as (?i) are only supported at the very start of the pattern');
    }
    return reject(`invalid or unsupported group syntax "${rest.slice(0, 4)}"`);
  }

  private brace(i: number): number {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(i));
    if (!m) {
      // Go reads a `{` that does not start a repetition as a literal.
      this.out += '\\{';
      return i + 1;
    }
    const min = Number(m[1]);
    const max = m[3] ? Number(m[3]) : min;
    if (min > MAX_REPEAT || max > MAX_REPEAT || (m[3] && max < min)) reject(`invalid repeat count "${m[0]}"`);
    this.out += m[0];
    return i + m[0].length;
  }

  private posixClass(i: number): number {
    const end = this.p.indexOf(':]', i + 2);
    const name = end === -1 ? '' : this.p.slice(i + 2, end);
    if (name.startsWith('^')) reject(`negated POSIX class "[:${name}:]" is not supported`);
    const ranges = POSIX_CLASSES[name];
    if (ranges === undefined) {
      // Not a POSIX class: a literal `[` followed by `:`.
      this.out += '\\[';
      return i + 1;
    }
    this.out += ranges;
    return end + 2;
  }

  /** Translates the escape at `i` (a backslash); returns the index after it. */
  private escape(i: number, inClass: boolean): number {
    const p = this.p;
    const e = p[i + 1];
    if (e === undefined) return reject('trailing backslash at end of expression');
    const where = inClass ? ' inside a character class' : '';
    if (SAME_ESCAPES.includes(e)) {
      this.out += `\\${e}`;
      return i + 2;
    }
    switch (e) {
      case 'a':
        this.out += '\\x07';
        return i + 2;
      case 's':
        this.out += inClass ? GO_SPACE : `[${GO_SPACE}]`;
        return i + 2;
      case 'S':
        this.out += inClass ? '\\S' : `[^${GO_SPACE}]`;
        return i + 2;
      case 'b':
      case 'B':
      case 'A':
      case 'z':
        if (inClass) reject(`escape "\\${e}"${where} is not valid`);
        if (e === 'A') this.out += this.multiline ? '(?<![\\s\\S])' : '^';
        else if (e === 'z') this.out += this.multiline ? '(?![\\s\\S])' : '$';
        else this.out += `\\${e}`;
        return i + 2;
      case 'x':
        return this.hexEscape(i);
      case 'p':
      case 'P':
        return this.unicodeClass(i, e === 'P');
      case 'Q': {
        if (inClass) reject(`escape "\\Q"${where} is not supported`);
        const end = p.indexOf('\\E', i + 2);
        const literal = p.slice(i + 2, end === -1 ? p.length : end);
        for (const ch of literal) this.out += JS_SYNTAX.includes(ch) ? `\\${ch}` : ch;
        return end === -1 ? p.length : end + 2;
      }
      case 'C':
        return reject('"\\C" (any byte) is not supported');
    }
    if (isOctal(e)) {
      // Go: `\0`, `\0NN`, `\NN` and `\NNN` are octal; a single `\1`…`\7` would be a backreference.
      if (e !== '0' && !isOctal(p[i + 2])) return reject(`backreference "\\${e}" is not supported`);
      let j = i + 2;
      while (j < i + 4 && isOctal(p[j])) j++;
      this.out += hex(Number.parseInt(p.slice(i + 1, j), 8));
      return j;
    }
    if (e === '8' || e === '9') return reject(`backreference "\\${e}" is not supported`);
    if (isEscapableAscii(e)) {
      this.out += JS_SYNTAX.includes(e) || (inClass && e === '-') ? `\\${e}` : hex(e.charCodeAt(0));
      return i + 2;
    }
    return reject(`invalid escape sequence "\\${e}"`);
  }

  private hexEscape(i: number): number {
    const p = this.p;
    if (p[i + 2] === '{') {
      const end = p.indexOf('}', i + 3);
      const digits = end === -1 ? '' : p.slice(i + 3, end);
      const code = /^[0-9A-Fa-f]{1,8}$/.test(digits) ? Number.parseInt(digits, 16) : Number.NaN;
      if (!(code <= 0x10ffff)) reject(`invalid escape "\\x{${digits}}"`);
      this.out += hex(code);
      return end + 1;
    }
    const digits = p.slice(i + 2, i + 4);
    if (!/^[0-9A-Fa-f]{2}$/.test(digits)) reject('"\\x" needs two hexadecimal digits or {…}');
    this.out += `\\x${digits}`;
    return i + 4;
  }

  private unicodeClass(i: number, negated: boolean): number {
    const p = this.p;
    let name: string;
    let next: number;
    if (p[i + 2] === '{') {
      const end = p.indexOf('}', i + 3);
      if (end === -1) reject('missing "}" after "\\p{"');
      name = p.slice(i + 3, end);
      next = end + 1;
    } else {
      name = p[i + 2] ?? '';
      next = i + 3;
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    if (!/^[A-Za-z_]+$/.test(name)) reject(`invalid Unicode class "${name}"`);
    this.out += `\\${negated ? 'P' : 'p'}{${unicodeClassName(name)}}`;
    return next;
  }
}
