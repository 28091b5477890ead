import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../core/errors.js';
import { formatRule } from './ast.js';
import { compileRule } from './compile.js';
import { parseRule } from './parser.js';

/** Renders an AST with explicit structure, so tests can check precedence. */
function shape(rule: string, syntax: 'v2' | 'v3' = 'v3'): string {
  const walk = (n: ReturnType<typeof parseRule>): string => {
    switch (n.kind) {
      case 'matcher':
        return `${n.name}(${n.args.map((a) => JSON.stringify(a)).join(',')})`;
      case 'not':
        return `not(${walk(n.operand)})`;
      default:
        return `${n.kind}(${walk(n.left)}, ${walk(n.right)})`;
    }
  };
  return walk(parseRule(rule, syntax));
}

/** The message of the RULE_SYNTAX error that compiling `rule` throws. */
function errorOf(rule: string, syntax: 'v2' | 'v3' = 'v3'): string {
  try {
    compileRule(rule, syntax);
  } catch (err) {
    assert.ok(err instanceof SwitchyardError, 'a SwitchyardError');
    assert.equal(err.code, 'RULE_SYNTAX');
    return err.message;
  }
  assert.fail(`expected ${rule} to be rejected`);
}

describe('parseRule: operators and precedence', () => {
  it('parses a single matcher', () => {
    assert.equal(shape('Host(`a.com`)'), 'Host("a.com")');
  });

  it('parses &&, || and !', () => {
    assert.equal(shape('Host(`a`) && Path(`/`)'), 'and(Host("a"), Path("/"))');
    assert.equal(shape('Host(`a`) || Path(`/`)'), 'or(Host("a"), Path("/"))');
    assert.equal(shape('!Host(`a`)'), 'not(Host("a"))');
    assert.equal(shape('!!Host(`a`)'), 'not(not(Host("a")))');
  });

  it('binds ! tighter than && and && tighter than ||', () => {
    assert.equal(
      shape('Host(`a`) || Path(`/b`) && !Method(`GET`)'),
      'or(Host("a"), and(Path("/b"), not(Method("GET"))))',
    );
    assert.equal(
      shape('!Host(`a`) && Path(`/b`) || Method(`GET`)'),
      'or(and(not(Host("a")), Path("/b")), Method("GET"))',
    );
  });

  it('is left-associative', () => {
    assert.equal(
      shape('Path(`/a`) && Path(`/b`) && Path(`/c`)'),
      'and(and(Path("/a"), Path("/b")), Path("/c"))',
    );
    assert.equal(
      shape('Path(`/a`) || Path(`/b`) || Path(`/c`)'),
      'or(or(Path("/a"), Path("/b")), Path("/c"))',
    );
  });

  it('lets parentheses override precedence, and ! apply to a group', () => {
    assert.equal(shape('(Host(`a`) || Host(`b`)) && Path(`/`)'), 'and(or(Host("a"), Host("b")), Path("/"))');
    assert.equal(shape('!(Host(`a`) || Host(`b`))'), 'not(or(Host("a"), Host("b")))');
    assert.equal(shape('((Host(`a`)))'), 'Host("a")');
  });

  it('accepts any whitespace between tokens, and none', () => {
    assert.equal(shape('Host(`a`)&&Path(`/`)'), 'and(Host("a"), Path("/"))');
    assert.equal(shape(' Host ( `a` )\n\t&&\r\nPath(`/`) '), 'and(Host("a"), Path("/"))');
  });

  it('formats a rule back canonically', () => {
    assert.equal(formatRule(parseRule('host("A") &&(Path(`/`))')), 'Host(`A`) && Path(`/`)');
    assert.equal(
      formatRule(parseRule('(Host(`a`) || Host(`b`)) && !(Path(`/x`) && Method(`GET`))')),
      '(Host(`a`) || Host(`b`)) && !(Path(`/x`) && Method(`GET`))',
    );
    assert.equal(formatRule(parseRule('Path("/a`b")')), 'Path("/a`b")');
  });
});

describe('parseRule: strings', () => {
  it('reads backtick raw strings verbatim (no escapes, CR dropped as in Go)', () => {
    assert.equal(shape('PathRegexp(`^/a\\.b\\n$`)'), String.raw`PathRegexp("^/a\\.b\\n$")`);
    assert.equal(parseRule('Path(`/a\r\nb`)').kind, 'matcher');
    const node = parseRule('Path(`/a\r\nb`)');
    assert.equal(node.kind === 'matcher' && node.args[0], '/a\nb');
  });

  it('decodes Go escapes in double-quoted strings', () => {
    const arg = (rule: string): string => {
      const node = parseRule(rule);
      assert.equal(node.kind, 'matcher');
      return node.kind === 'matcher' ? node.args[1]! : '';
    };
    assert.equal(arg('Header("X", "a\\"b")'), 'a"b');
    assert.equal(arg('Header("X", "a\\\\b")'), 'a\\b');
    assert.equal(arg('Header("X", "a\\nb\\tc")'), 'a\nb\tc');
    assert.equal(arg('Header("X", "\\x41\\x42")'), 'AB');
    assert.equal(arg('Header("X", "\\xc3\\xa9")'), 'é');
    assert.equal(arg('Header("X", "\\u00e9\\U0001F600")'), 'é😀');
    assert.equal(arg('Header("X", "\\101\\a\\v")'), 'A\x07\v');
    assert.equal(arg('Header("X", "`")'), '`');
  });

  it('mixes both string kinds in one matcher', () => {
    assert.equal(shape('Header(`X-A`, "b")'), 'Header("X-A","b")');
  });

  it('accepts a trailing comma as Go does', () => {
    assert.equal(shape('Host(`a`,)'), 'Host("a")');
  });
});

describe('parseRule: matcher names', () => {
  it('accepts the spellings Traefik registers: exact, lower, UPPER, Title', () => {
    for (const name of ['PathPrefix', 'pathprefix', 'PATHPREFIX', 'Pathprefix']) {
      assert.equal(shape(`${name}(\`/\`)`), 'PathPrefix("/")');
    }
  });

  it('rejects other casings with a suggestion', () => {
    assert.equal(
      errorOf('pathPrefix(`/`)'),
      'unknown matcher "pathPrefix" at column 1 (did you mean "PathPrefix"?)',
    );
  });

  it('suggests the closest matcher for a typo', () => {
    assert.equal(errorOf('Hots(`a`)'), 'unknown matcher "Hots" at column 1 (did you mean "Host"?)');
    assert.equal(
      errorOf('Path(`/`) && Mehtod(`GET`)'),
      'unknown matcher "Mehtod" at column 14 (did you mean "Method"?)',
    );
  });

  it('points out matchers of the other syntax', () => {
    assert.match(errorOf('Headers(`a`, `b`)'), /"Headers" exists only with ruleSyntax v2/);
    assert.match(errorOf('PathRegexp(`/`)', 'v2'), /"PathRegexp" exists only with ruleSyntax v3/);
    assert.match(errorOf('HostHeader(`a`)'), /exists only with ruleSyntax v2/);
  });
});

describe('parseRule: error columns', () => {
  const cases: [string, string][] = [
    [
      'Host(`a.com`) && PathPrefix(`/x`',
      'rule syntax error at column 33: expected "," or ")" but found end of rule',
    ],
    ['Host(`a.com`', 'rule syntax error at column 13: expected "," or ")" but found end of rule'],
    ['(Host(`a`) && Path(`/`)', 'rule syntax error at column 24: expected ")" but found end of rule'],
    ['Host(`a`))', 'rule syntax error at column 10: expected "&&", "||" or end of rule but found ")"'],
    ["Host('a')", 'rule syntax error at column 6: single quotes are not allowed'],
    ['Host(`a) && Path(`/`)', 'rule syntax error at column 19: unexpected character "/"'],
    ['Host(`a`) & Path(`/`)', 'rule syntax error at column 11: unexpected "&" (did you mean "&&"?)'],
    ['Host(`a`) | Path(`/`)', 'rule syntax error at column 11: unexpected "|" (did you mean "||"?)'],
    [
      'Host(`a`) Path(`/`)',
      'rule syntax error at column 11: expected "&&", "||" or end of rule but found "Path"',
    ],
    ['Host(`a`) &&', 'rule syntax error at column 13: expected a matcher, "!" or "(" but found end of rule'],
    ['&& Host(`a`)', 'rule syntax error at column 1: expected a matcher, "!" or "(" but found "&&"'],
    ['Host(a.com)', 'rule syntax error at column 6: expected a string argument or ")" but found "a"'],
    ['Host `a`', 'rule syntax error at column 6: expected "(" after Host but found a string'],
    ['Host("a.com)', 'rule syntax error at column 6: unterminated double-quoted string'],
    ['Path(`/`) || Host(`a.com)', 'rule syntax error at column 19: unterminated raw string'],
    ['Host("a\nb")', 'rule syntax error at column 6: unterminated double-quoted string'],
    ['Host("\\400")', 'rule syntax error at column 7: octal escape "\\400" is greater than 255'],
    ['Host("a\\qb")', 'rule syntax error at column 8: unknown escape sequence "\\q"'],
    ['Host("\\x4")', 'rule syntax error at column 7: escape needs exactly 2 hexadecimal digits'],
    ['Host(`a`) && #', 'rule syntax error at column 14: unexpected character "#"'],
    ['', 'rule syntax error at column 1: the rule is empty'],
    ['   ', 'rule syntax error at column 1: the rule is empty'],
  ];
  for (const [rule, message] of cases) {
    it(`reports ${JSON.stringify(rule)}`, () => {
      assert.ok(errorOf(rule).startsWith(message), `${errorOf(rule)}\n  should start with\n${message}`);
    });
  }
});

describe('argument validation', () => {
  it('checks the number of arguments', () => {
    assert.equal(
      errorOf('Host(`a`, `b`)'),
      'wrong number of arguments for Host at column 1: expected 1 argument, got 2 (v3 matchers take one value: combine them with ||)',
    );
    assert.equal(
      errorOf('Path(`/`) && Header(`X`)'),
      'wrong number of arguments for Header at column 14: expected 2 arguments, got 1',
    );
    assert.equal(
      errorOf('Query()'),
      'wrong number of arguments for Query at column 1: expected 1 or 2 arguments, got 0',
    );
    assert.match(errorOf('Headers(`a`, `b`, `c`)', 'v2'), /Headers at column 1: expected key\/value pairs/);
    assert.match(errorOf('Method()', 'v2'), /expected at least 1 argument, got 0/);
  });

  it('rejects empty arguments as Traefik does', () => {
    assert.equal(errorOf('Host(``)'), 'empty argument for Host at column 6');
    assert.equal(errorOf('Query(`k`, ``)'), 'empty argument for Query at column 12');
  });

  it('points at the offending argument', () => {
    assert.equal(
      errorOf('Path(`foo`)'),
      'invalid argument for Path at column 6: path "foo" must start with "/"',
    );
    assert.equal(
      errorOf('Host(`a`) && PathPrefix(`x`)'),
      'invalid argument for PathPrefix at column 25: path "x" must start with "/"',
    );
    assert.equal(
      errorOf('PathRegexp(`(`)'),
      'invalid argument for PathRegexp at column 12: invalid regular expression "(": missing closing ): `(`',
    );
    assert.match(
      errorOf('HeaderRegexp(`X`, `a(?=b)`)'),
      /^invalid argument for HeaderRegexp at column 19: .*lookahead/,
    );
    assert.equal(
      errorOf('ClientIP(`10.0.0.0/33`)'),
      'invalid argument for ClientIP at column 10: "10.0.0.0/33" is not an IP address or CIDR range',
    );
    assert.match(errorOf('ClientIP(`1.2.3`)'), /column 10: "1.2.3" is not an IP address/);
    assert.match(errorOf('Host(`bücher.de`)'), /column 6: non-ASCII host "bücher.de": use the punycode form/);
    assert.match(errorOf('Path(`/a`, `b`)', 'v2'), /column 12: path "b" must start with "\/"/);
    assert.match(errorOf('HostRegexp(`{a:[a-z]+`)', 'v2'), /column 12: unbalanced braces/);
    assert.match(errorOf('Query(`a=1`, `b`)', 'v2'), /column 14: expected key=value pairs/);
  });
});
