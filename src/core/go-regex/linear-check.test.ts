import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGoRegex } from './index.js';

/** Patterns users write, which keep V8's speed. */
const FAST = [
  '^/api/v[0-9]+/.*',
  '^[a-z0-9-]+\\.example\\.com$',
  '^/users/(?P<id>[0-9]+)/edit$',
  '^/(api|web)/.*',
  '\\.(jpe?g|png|gif)$',
  '/api/.*',
  '^(?:[^.]+)\\.example\\.com$',
  '^([0-9]{1,3}\\.){3}[0-9]{1,3}$',
  '^https?://(www\\.)?example\\.com/(.*)',
  '(?i)^/Admin/[a-z]+$',
  '^/.*/foo$',
  'foo|^/bar/.+',
];

/** Patterns whose backtracking can grow faster than the input: they run on RE2. */
const LINEAR_ENGINE = [
  '^/(a+)+$',
  '^(a|a)*$',
  '^(a|aa){1,30}$',
  '^.*.*x$',
  '^.*[a-z]+x$',
  '[0-9]+x',
  'a.*$',
  '^(\\w+\\s?)*$',
  '(?m)^a+b',
  '(?m)\\Aa+b\\z',
  '^x((a|){1,3}b){2}$',
  '\\B',
  '^a{0,1000}a{0,1000}b',
  '^\\p{L}+\\p{L}+$',
  '(?i)^k+\\x{212A}+x',
];

describe('isLinearUnderBacktracking (through compileGoRegex)', () => {
  it('keeps ordinary patterns on the backtracking engine', () => {
    for (const p of FAST) assert.equal(compileGoRegex(p).engine, 'backtracking', p);
  });

  it('sends patterns that could backtrack super-linearly to RE2', () => {
    for (const p of LINEAR_ENGINE) assert.equal(compileGoRegex(p).engine, 're2', p);
  });

  it('answers a hostile input quickly on every pattern of the table', () => {
    // Each input makes a backtracking engine try a number of paths that grows faster than its length;
    // with 20k characters that would take minutes to years.
    const hostile = [`/${'a'.repeat(20_000)}!`, `${'1'.repeat(20_000)}y`, `${'a '.repeat(10_000)}!`];
    for (const p of LINEAR_ENGINE) {
      const re = compileGoRegex(p);
      for (const input of hostile) re.test(input);
    }
  });
});
