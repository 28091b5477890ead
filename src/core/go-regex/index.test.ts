import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../errors.js';
import { compileGoRegex } from './index.js';
import { compileGoReplacement, replaceAllGo } from './replace.js';

function rejects(pattern: string, reason: RegExp): void {
  assert.throws(
    () => compileGoRegex(pattern, { owner: 'test' }),
    (err: unknown) =>
      err instanceof SwitchyardError &&
      err.code === 'CONFIG_INVALID' &&
      err.message.startsWith(`test: regex ${JSON.stringify(pattern)} is invalid: `) &&
      reason.test(err.message),
    pattern,
  );
}

function replaceAll(pattern: string, template: string, text: string): string | undefined {
  return replaceAllGo(compileGoRegex(pattern), compileGoReplacement(template), text);
}

describe('compileGoRegex', () => {
  it('matches like Go for common patterns', () => {
    assert.ok(compileGoRegex('^[a-z]+\\.example\\.com$').test('api.example.com'));
    assert.ok(compileGoRegex('(?i)^API$').test('api'));
    assert.ok(compileGoRegex('^(?i)API$').test('api'));
    assert.ok(compileGoRegex('api', { caseInsensitive: true }).test('xAPIx'));
    assert.ok(!compileGoRegex('a.b').test('a\nb'));
    assert.ok(compileGoRegex('a.b').test('a\rb'));
    assert.ok(compileGoRegex('(?s)a.b').test('a\nb'));
    assert.ok(compileGoRegex('^\\p{Greek}+$').test('αβγ'));
    assert.ok(compileGoRegex('^.$').test('😀'), 'one code point, as Go runes');
    assert.ok(compileGoRegex('^a{2,3}$').test('aaa'));
    assert.ok(!compileGoRegex('^a$').test('a\n'), '$ is the end of text without (?m)');
  });

  it('accepts Go syntax that JS lacks, on the RE2 engine', () => {
    const mid = compileGoRegex('^/api/(?i)users$');
    assert.equal(mid.engine, 're2');
    assert.ok(mid.test('/api/USERS'));
    assert.ok(!mid.test('/API/users'));
    assert.ok(compileGoRegex('^[[:^digit:]]+$').test('abc'));
    assert.equal(compileGoRegex('(?U)a+').exec('aaa')?.[0], 'a');
  });

  it('runs a nested quantifier on RE2: a hostile input answers at once', () => {
    const re = compileGoRegex('^/(a+)+$');
    assert.equal(re.engine, 're2');
    assert.equal(re.test(`/${'a'.repeat(5000)}!`), false);
    assert.equal(re.test(`/${'a'.repeat(50)}`), true);
  });

  it('gives the same groups on both engines', () => {
    for (const pattern of ['^/u/(?P<id>[0-9]+)(/x)?', '^/u/(?P<id>[0-9]+)(/x)?(?i)']) {
      const m = compileGoRegex(pattern).exec('/u/42/rest');
      assert.equal(m?.index, 0, pattern);
      assert.equal(m?.[0], '/u/42', pattern);
      assert.equal(m?.[1], '42', pattern);
      assert.equal(m?.[2], undefined, pattern);
      assert.equal(m?.groups?.id, '42', pattern);
    }
  });

  it('rejects what Go rejects, with its reason', () => {
    rejects('a(?=b)', /invalid or unsupported Perl syntax.*no lookahead or lookbehind/);
    rejects('(?<!a)b', /no lookahead or lookbehind/);
    rejects('(a)\\1', /invalid escape sequence.*no backreferences/);
    rejects('\\C', /invalid escape sequence/);
    rejects('\\q', /invalid escape sequence/);
    rejects('a{1001}', /invalid repeat count/);
    rejects('a**', /invalid nested repetition operator/);
    rejects('[a', /missing closing \]/);
    rejects('(a', /missing closing \)/);
    rejects('x\\', /trailing backslash/);
  });

  it('uses the caller-given error code', () => {
    assert.throws(
      () => compileGoRegex('(', { code: 'RULE_SYNTAX' }),
      (err: unknown) => err instanceof SwitchyardError && err.code === 'RULE_SYNTAX',
    );
  });
});

describe('replaceAllGo', () => {
  it('expands Go templates', () => {
    assert.equal(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Go replacement syntax
      replaceAll('^/api/(?P<v>v[0-9])/(.*)', '/$2?version=${v}', '/api/v2/users'),
      '/users?version=v2',
    );
    assert.equal(replaceAll('o', '$$', 'foo'), 'f$$');
    assert.equal(replaceAll('(o)', '$1x', 'foo'), 'f', '$1x names group "1x", which does not exist');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go replacement syntax
    assert.equal(replaceAll('(o)', '${1}x', 'foo'), 'foxox');
    assert.equal(replaceAll('z', 'y', 'foo'), undefined);
  });

  it('skips an empty match right after a match, as Go does', () => {
    assert.equal(replaceAll('a*', 'X', 'baaac'), 'XbXcX');
    assert.equal(replaceAll('(?U)a*', 'X', 'baaac'), 'XbXaXaXaXcX');
    assert.equal(replaceAll('', '-', 'ab😀'), '-a-b-😀-');
  });
});
