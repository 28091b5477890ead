import { SwitchyardError } from '../core/errors.js';

/** Token kinds of the rule language. */
export type TokenKind = 'ident' | 'string' | '(' | ')' | ',' | '&&' | '||' | '!' | 'end';

/** One token; `column` is 1-based, `value` is the decoded text of a string or the name of an identifier. */
export interface Token {
  readonly kind: TokenKind;
  readonly value: string;
  readonly column: number;
}

/** A RULE_SYNTAX error pointing at a 1-based column. */
export function syntaxError(column: number, message: string): SwitchyardError {
  return new SwitchyardError('RULE_SYNTAX', `rule syntax error at column ${column}: ${message}`);
}

/** How a token is named in error messages. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'end of rule';
    case 'ident':
      return `"${token.value}"`;
    case 'string':
      return 'a string';
    default:
      return `"${token.kind}"`;
  }
}

const SINGLE: Record<string, TokenKind> = { '(': '(', ')': ')', ',': ',', '!': '!' };

/**
 * Reads a rule token by token (on demand, so errors come in reading order). Strings are Go string
 * literals: backtick raw strings or double-quoted strings with Go escapes; single quotes are rejected
 * because Go reads them as characters.
 */
export class Lexer {
  private i = 0;

  constructor(private readonly rule: string) {}

  /** The next token; `end` once the rule is exhausted. */
  next(): Token {
    const rule = this.rule;
    const n = rule.length;
    let i = this.i;
    while (i < n && (rule[i] === ' ' || rule[i] === '\t' || rule[i] === '\n' || rule[i] === '\r')) i++;
    const column = i + 1;
    if (i >= n) {
      this.i = i;
      return { kind: 'end', value: '', column };
    }
    const c = rule[i]!;
    const single = SINGLE[c];
    let token: Token;
    if (single !== undefined) {
      token = { kind: single, value: c, column };
      i++;
    } else if (c === '&' || c === '|') {
      if (rule[i + 1] !== c) throw syntaxError(column, `unexpected "${c}" (did you mean "${c}${c}"?)`);
      token = { kind: c === '&' ? '&&' : '||', value: c + c, column };
      i += 2;
    } else if (c === '`') {
      const end = rule.indexOf('`', i + 1);
      if (end === -1) throw syntaxError(column, 'unterminated raw string (missing closing "`")');
      // Go discards carriage returns inside raw strings.
      token = { kind: 'string', value: rule.slice(i + 1, end).replaceAll('\r', ''), column };
      i = end + 1;
    } else if (c === '"') {
      const [value, next] = readQuoted(rule, i);
      token = { kind: 'string', value, column };
      i = next;
    } else if (c === "'") {
      throw syntaxError(column, 'single quotes are not allowed: use backticks (`a`) or double quotes ("a")');
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(rule[j]!)) j++;
      token = { kind: 'ident', value: rule.slice(i, j), column };
      i = j;
    } else {
      throw syntaxError(column, `unexpected character "${c}"`);
    }
    this.i = i;
    return token;
  }
}

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
};

/** Reads a double-quoted Go string starting at `start`; returns the decoded value and the next index. */
function readQuoted(rule: string, start: number): [string, number] {
  let out = '';
  let i = start + 1;
  // Octal and \x escapes denote bytes (UTF-8 is decoded at the end of each run), \u and \U code points.
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) {
      out += Buffer.from(bytes).toString('utf8');
      bytes = [];
    }
  };
  while (i < rule.length) {
    const c = rule[i]!;
    if (c === '"') {
      flush();
      return [out, i + 1];
    }
    if (c === '\n') break;
    if (c !== '\\') {
      flush();
      out += c;
      i++;
      continue;
    }
    const column = i + 1;
    const e = rule[i + 1];
    if (e === undefined) break;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      flush();
      out += simple;
      i += 2;
    } else if (e === 'x') {
      bytes.push(readHex(rule, i + 2, 2, column));
      i += 4;
    } else if (e === 'u' || e === 'U') {
      const width = e === 'u' ? 4 : 8;
      const cp = readHex(rule, i + 2, width, column);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        throw syntaxError(
          column,
          `escape "\\${e}${rule.slice(i + 2, i + 2 + width)}" is not a valid code point`,
        );
      }
      flush();
      out += String.fromCodePoint(cp);
      i += 2 + width;
    } else if (e >= '0' && e <= '7') {
      const digits = rule.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(digits)) throw syntaxError(column, 'octal escape needs exactly three digits');
      const value = Number.parseInt(digits, 8);
      if (value > 255) throw syntaxError(column, `octal escape "\\${digits}" is greater than 255`);
      bytes.push(value);
      i += 4;
    } else {
      throw syntaxError(column, `unknown escape sequence "\\${e}" in double-quoted string`);
    }
  }
  throw syntaxError(start + 1, 'unterminated double-quoted string (missing closing quote)');
}

function readHex(rule: string, from: number, width: number, column: number): number {
  const digits = rule.slice(from, from + width);
  if (digits.length !== width || !/^[0-9a-fA-F]+$/.test(digits)) {
    throw syntaxError(column, `escape needs exactly ${width} hexadecimal digits`);
  }
  return Number.parseInt(digits, 16);
}
