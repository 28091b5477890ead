import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { SwitchyardError } from '../errors.js';
import { compileGoRegex } from './index.js';

/**
 * Properties of the facility against RE2 itself (the `re2js` port of Go's engine): whatever engine
 * `compileGoRegex` picks, it finds what RE2 finds. (The V8 translation alone differs on purpose for some
 * shapes, such as `(^|.){2,}`, where JS stops repeating a group that matched empty: those shapes never
 * take the V8 path.)
 */

const ALPHABET = ['a', 'b', 'A', '/', '.', '-', '1', '\n', 'é', '😀'];

/** Go patterns over a small alphabet, mixing the syntax the translator rewrites. */
const atom: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('a', 'b', '/', '\\.', '\\-', '1', 'é', '😀', '\\x{e9}', '\\141'),
  fc.constantFrom('.', '\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '\\pL', '\\p{Greek}', '\\PL'),
  fc.constantFrom('[a-b]', '[^/]', '[[:alpha:]]', '[[:digit:]/]', '[]a]', '[\\d.]', '[^\\n]'),
  fc.constantFrom('^', '$', '\\A', '\\z', '\\b', '\\B', '\\Qa.\\E', '{', 'a{,2}'),
);

const QUANTIFIERS = ['', '', '', '*', '+', '?', '{2}', '{1,3}', '{2,}', '*?', '+?'];

/** A sequence of 1–`max` terms, each optionally quantified (anchors stay bare: `^*` is a Go error). */
function sequence(term: fc.Arbitrary<string>, max: number): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(term, fc.constantFrom(...QUANTIFIERS)), { minLength: 1, maxLength: max })
    .map((parts) => parts.map(([t, q]) => (/^(\^|\$|\\[AzbB])$/.test(t) ? t : t + q)).join(''));
}

function alternation(seq: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: seq },
    { weight: 1, arbitrary: fc.tuple(seq, seq).map(([a, b]) => `${a}|${b}`) },
    { weight: 1, arbitrary: seq.map((a) => `${a}|`) },
  );
}

const group = fc
  .tuple(fc.constantFrom('(', '(?:', '(?P<n>'), alternation(sequence(atom, 3)))
  .map(([open, inner]) => `${open}${inner})`);

/** Go patterns two levels deep. */
const pattern = alternation(
  sequence(fc.oneof({ weight: 3, arbitrary: atom }, { weight: 1, arbitrary: group }), 4),
);

const flags = fc.constantFrom('', '(?i)', '(?s)', '(?m)', '(?is)');
const input = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 8 }).map((cs) => cs.join(''));

/** RE2's leftmost-first match as [index, text], or null; undefined when RE2 refuses the pattern. */
function re2Match(source: string, text: string): [number, string] | null | undefined {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch {
    return undefined;
  }
  const m = re.matcher(text);
  return m.find() ? [m.start(), m.group() ?? ''] : null;
}

describe('compileGoRegex against RE2 (property)', () => {
  it('finds the same leftmost match as RE2, on either engine', () => {
    fc.assert(
      fc.property(flags, pattern, fc.array(input, { minLength: 1, maxLength: 4 }), (f, p, texts) => {
        const source = f + p;
        const oracle = texts.map((t) => re2Match(source, t));
        if (oracle[0] === undefined) {
          assert.throws(() => compileGoRegex(source), SwitchyardError, `RE2 refuses ${source}`);
          return;
        }
        const re = compileGoRegex(source);
        texts.forEach((t, i) => {
          const m = re.exec(t);
          assert.deepEqual(
            m === null ? null : [m.index, m[0]],
            oracle[i],
            `${source} on ${JSON.stringify(t)}`,
          );
          assert.equal(re.test(t), oracle[i] !== null);
        });
      }),
      { numRuns: 1500 },
    );
  });

  it('matches any literal text quoted with \\Q…\\E, and only where it occurs', () => {
    fc.assert(
      fc.property(input, input, (needle, hay) => {
        fc.pre(!needle.includes('\\E'));
        const re = compileGoRegex(`\\Q${needle}\\E`);
        assert.equal(re.test(hay), hay.includes(needle));
        assert.equal(re.exec(hay)?.index ?? -1, hay.indexOf(needle));
      }),
      { numRuns: 200 },
    );
  });
});
