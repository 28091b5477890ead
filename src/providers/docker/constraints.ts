import { errorMessage, SwitchyardError } from '../../core/errors.js';
import { compileGoRegex, type GoRegex } from '../../core/go-regex/index.js';

/** A compiled `constraints` expression: true when a container with these labels is kept. */
export type LabelConstraint = (labels: Readonly<Record<string, string>>) => boolean;

/**
 * Compiles a label provider's `constraints` expression, as Traefik's: `Label(`key`, `value`)` (exact
 * value), `LabelRegex(`key`, `regexp`)` (Go regexp, unanchored, on the value), combined with `&&`, `||`,
 * `!` and parentheses; strings in backquotes or double quotes. A missing label reads as the empty string.
 * An empty expression keeps every container. Throws CONFIG_INVALID with the position of a syntax error.
 *
 * @example compileConstraints('Label(`a.b`, `c`) && !LabelRegex(`env`, `^test`)')
 */
export function compileConstraints(expression: string | undefined): LabelConstraint {
  if (!expression?.trim()) return () => true;
  const tokens = lex(expression);
  let pos = 0;
  const fail = (message: string): never => {
    const at = tokens[pos]?.at ?? expression.length;
    throw new SwitchyardError('CONFIG_INVALID', `constraints "${expression}": ${message} (column ${at + 1})`);
  };
  const peek = () => tokens[pos]?.text;
  const expect = (text: string) => {
    if (peek() !== text) fail(`expected "${text}"`);
    pos++;
  };

  const or = (): LabelConstraint => {
    const parts = [and()];
    while (peek() === '||') {
      pos++;
      parts.push(and());
    }
    return parts.length === 1 ? parts[0]! : (l) => parts.some((p) => p(l));
  };
  const and = (): LabelConstraint => {
    const parts = [unary()];
    while (peek() === '&&') {
      pos++;
      parts.push(unary());
    }
    return parts.length === 1 ? parts[0]! : (l) => parts.every((p) => p(l));
  };
  const unary = (): LabelConstraint => {
    const t = peek();
    if (t === '!') {
      pos++;
      const inner = unary();
      return (l) => !inner(l);
    }
    if (t === '(') {
      pos++;
      const inner = or();
      expect(')');
      return inner;
    }
    return call();
  };
  const argument = (): string => {
    const t = tokens[pos];
    if (!t?.quoted) fail('expected a quoted string');
    pos++;
    return t!.text;
  };
  const call = (): LabelConstraint => {
    const name = peek();
    if (name !== 'Label' && name !== 'LabelRegex') {
      return fail(name ? `unknown function "${name}" (use Label or LabelRegex)` : 'unexpected end');
    }
    pos++;
    expect('(');
    const key = argument();
    expect(',');
    const valueAt = pos;
    const value = argument();
    expect(')');
    if (name === 'Label') return (l) => (l[key] ?? '') === value;
    let re: GoRegex;
    try {
      re = compileGoRegex(value);
    } catch (err) {
      pos = valueAt;
      return fail(`invalid regular expression: ${errorMessage(err)}`);
    }
    return (l) => re.test(l[key] ?? '');
  };

  const result = or();
  if (pos < tokens.length) fail(`unexpected "${peek()}"`);
  return result;
}

interface Token {
  text: string;
  at: number;
  quoted?: boolean;
}

function lex(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '`' || c === '"') {
      const end = findClose(source, i);
      const raw = source.slice(i + 1, end);
      const text = c === '"' ? (JSON.parse(`"${raw}"`) as string) : raw;
      tokens.push({ text, at: i, quoted: true });
      i = end + 1;
    } else if (source.startsWith('&&', i) || source.startsWith('||', i)) {
      tokens.push({ text: source.slice(i, i + 2), at: i });
      i += 2;
    } else if ('!(),'.includes(c)) {
      tokens.push({ text: c, at: i++ });
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
      if (!m) {
        throw new SwitchyardError(
          'CONFIG_INVALID',
          `constraints "${source}": unexpected "${c}" (column ${i + 1})`,
        );
      }
      tokens.push({ text: m[0], at: i });
      i += m[0].length;
    }
  }
  return tokens;
}

function findClose(source: string, start: number): number {
  const quote = source[start]!;
  for (let i = start + 1; i < source.length; i++) {
    if (quote === '"' && source[i] === '\\') i++;
    else if (source[i] === quote) return i;
  }
  throw new SwitchyardError(
    'CONFIG_INVALID',
    `constraints "${source}": unterminated string (column ${start + 1})`,
  );
}
