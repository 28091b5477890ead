import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../core/errors.js';
import { compileGoRegex, translateGoRegex } from './go-regex.js';

function rejects(pattern: string, reason: RegExp): void {
  assert.throws(
    () => compileGoRegex(pattern),
    (err: unknown) =>
      err instanceof SwitchyardError && err.code === 'RULE_SYNTAX' && reason.test(err.message),
    pattern,
  );
}

describe('translateGoRegex', () => {
  it('turns leading flag groups into JS flags (always with u)', () => {
    assert.deepEqual(translateGoRegex('(?i)^a$'), { source: '^a$', flags: 'iu' });
    assert.deepEqual(translateGoRegex('(?s)(?im)a.'), { source: 'a.', flags: 'imsu' });
  });

  it('rewrites Go-only syntax', () => {
    assert.equal(translateGoRegex('(?P<id>[0-9]+)').source, '(?<id>[0-9]+)');
    assert.equal(translateGoRegex('\\Aab\\z').source, '^ab$');
    assert.equal(translateGoRegex('(?m)\\Aab\\z').source, '(?<![\\s\\S])ab(?![\\s\\S])');
    assert.equal(translateGoRegex('\\Qa.b*\\E+').source, 'a\\.b\\*+');
    assert.equal(translateGoRegex('\\x{1F600}\\x41').source, '\\u{1f600}\\x41');
    assert.equal(translateGoRegex('\\101\\0').source, '\\u{41}\\u{0}');
    assert.equal(translateGoRegex('[[:alpha:][:digit:]_]').source, '[A-Za-z0-9_]');
    assert.equal(
      translateGoRegex('\\pL\\p{Lu}\\PN\\p{Greek}\\p{^Latin}').source,
      '\\p{L}\\p{Lu}\\P{N}\\p{Script=Greek}\\P{Script=Latin}',
    );
  });

  it('keeps Go meanings where JS differs', () => {
    // Go's \s is ASCII-only and . excludes only \n.
    assert.equal(translateGoRegex('\\s\\S.').source, '[\\t\\n\\f\\r ][^\\t\\n\\f\\r ][^\\n]');
    // A { that does not start a repetition, and a ] right after [, are literals in Go.
    assert.equal(translateGoRegex('a{,2}').source, 'a\\{,2\\}');
    assert.equal(translateGoRegex('[]a]').source, '[\\]a]');
    // Escaped punctuation JS's u mode does not allow is written as a code point.
    assert.equal(translateGoRegex('\\-\\@\\.').source, '\\u{2d}\\u{40}\\.');
  });
});

describe('compileGoRegex', () => {
  it('matches like Go for common patterns', () => {
    assert.ok(compileGoRegex('^[a-z]+\\.example\\.com$').test('api.example.com'));
    assert.ok(compileGoRegex('(?i)^API$').test('api'));
    assert.ok(!compileGoRegex('a.b').test('a\nb'));
    assert.ok(compileGoRegex('a.b').test('a\rb'));
    assert.ok(compileGoRegex('(?s)a.b').test('a\nb'));
    assert.ok(compileGoRegex('^\\p{Greek}+$').test('αβγ'));
    assert.ok(compileGoRegex('^.$').test('😀'), 'one code point, as Go runes');
    assert.ok(compileGoRegex('^a{2,3}$').test('aaa'));
  });

  it('rejects what JS cannot do, with a reason', () => {
    rejects('a(?i)b', /only supported at the very start/);
    rejects('(?i:a)', /only supported at the very start/);
    rejects('(?U)a+', /ungreedy/);
    rejects('a(?=b)', /lookahead and lookbehind/);
    rejects('(?<!a)b', /lookahead and lookbehind/);
    rejects('(a)\\1', /backreference/);
    rejects('\\C', /any byte/);
    rejects('\\q', /invalid escape sequence/);
    rejects('a{1001}', /invalid repeat count/);
    rejects('a{3,2}', /invalid repeat count/);
    rejects('[a', /missing closing \]/);
    rejects('(a', /Unterminated group/);
    rejects('[[:^alpha:]]', /negated POSIX class/);
    rejects('x\\', /trailing backslash/);
  });
});
