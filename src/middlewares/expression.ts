import { SwitchyardError } from '../core/errors.js';

/**
 * The small expression language of circuitBreaker and buffering's retryExpression:
 * `Fn(args) op number`, a bare boolean `Fn()`, combined with `&&`, `||` and parentheses.
 * Functions are looked up in a table when compiling, so a typo fails at build time.
 */
export type ExprFunction = { args: number; call: (env: never, args: readonly number[]) => number | boolean };
type Node = (env: never) => boolean;
type Value = (env: never) => number | boolean;

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_]\w*)|(&&|\|\||>=|<=|==|!=|>|<|\(|\)|,))/y;

export function compileExpression<E>(
  source: string,
  functions: Record<string, ExprFunction>,
  owner: string,
): (env: E) => boolean {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < source.length) {
    if (/^\s*$/.test(source.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(source);
    if (!m) throw fail(owner, source, `unexpected text at ${pos}`);
    tokens.push(m[1] ?? m[2] ?? m[3]!);
    pos = TOKEN.lastIndex;
  }
  let i = 0;
  const peek = () => tokens[i];
  const take = (want?: string) => {
    const t = tokens[i++];
    if (t === undefined || (want !== undefined && t !== want))
      throw fail(owner, source, `expected ${want ?? 'more'} at token ${i}`);
    return t;
  };
  const value = (): Value => {
    const t = take();
    if (/^\d/.test(t)) {
      const n = Number(t);
      return () => n;
    }
    const fn = functions[t];
    if (!fn)
      throw fail(owner, source, `unknown function ${t}(); known: ${Object.keys(functions).join(', ')}`);
    take('(');
    const args: number[] = [];
    while (peek() !== ')') {
      const a = take();
      if (!/^\d/.test(a)) throw fail(owner, source, `argument of ${t}() must be a number`);
      args.push(Number(a));
      if (peek() === ',') take(',');
    }
    take(')');
    if (args.length !== fn.args) throw fail(owner, source, `${t}() takes ${fn.args} argument(s)`);
    return (env) => fn.call(env, args);
  };
  const comparison = (): Node => {
    if (peek() === '(') {
      take('(');
      const inner = or();
      take(')');
      return inner;
    }
    const left = value();
    const op = peek();
    if (op === undefined || !['>', '>=', '<', '<=', '==', '!='].includes(op))
      return (env) => left(env) === true;
    take();
    const right = value();
    const cmp = COMPARE[op]!;
    return (env) => cmp(Number(left(env)), Number(right(env)));
  };
  const and = (): Node => {
    let node = comparison();
    while (peek() === '&&') {
      take();
      const l = node;
      const r = comparison();
      node = (env) => l(env) && r(env);
    }
    return node;
  };
  const or = (): Node => {
    let node = and();
    while (peek() === '||') {
      take();
      const l = node;
      const r = and();
      node = (env) => l(env) || r(env);
    }
    return node;
  };
  if (tokens.length === 0) throw fail(owner, source, 'expression is empty');
  const root = or();
  if (i !== tokens.length) throw fail(owner, source, `unexpected ${tokens[i]}`);
  return root as (env: E) => boolean;
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

function fail(owner: string, source: string, why: string): SwitchyardError {
  return new SwitchyardError('CONFIG_INVALID', `${owner}: expression ${JSON.stringify(source)}: ${why}`);
}
