import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translateGoRegex } from './translate.js';

describe('translateGoRegex', () => {
  it('turns leading flag groups into JS flags (always with u)', () => {
    assert.deepEqual(translateGoRegex('(?i)^a$'), { source: '^a$', flags: 'iu' });
    assert.deepEqual(translateGoRegex('(?s)(?im)a.'), { source: 'a.', flags: 'imsu' });
    assert.deepEqual(translateGoRegex('^(?i)a'), { source: '^a', flags: 'iu' });
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

  it('throws for what JS cannot express (RE2 then runs the pattern)', () => {
    for (const p of ['a(?i)b', '(?i:a)', '(?U)a+', '[[:^alpha:]]', '^(?m)a']) {
      assert.throws(() => translateGoRegex(p), /supported/, p);
    }
  });
});
