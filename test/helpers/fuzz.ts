import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SwitchyardError } from '../../src/core/errors.js';

/**
 * Shared pieces of the property (fuzz) tests: bounded run counts, text arbitraries that reach past the
 * first character check of a parser, and the check that a refusal is a clear error.
 */

/** Runs per property: enough to find shallow crashes in CI, small enough to stay under a second or two. */
export const RUNS = Number(process.env.SWITCHYARD_FUZZ_RUNS ?? 300);

/** Hostile characters: controls, quotes, separators, a lone surrogate, wide characters. */
const HOSTILE = ['\0', '\r', '\n', '\t', '\u0085', '\ud800', '\uffff', '😀', 'é', '"', '`', "'", '\\'];

/** The punctuation of YAML, TOML and JSON documents (anchors, aliases, merge keys, tags included). */
export const DOCUMENT_SYNTAX = [
  ':',
  ' ',
  '  ',
  '\n',
  '- ',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  '=',
  '.',
  '#',
  '&a ',
  '*a',
  '<<: ',
  '!!str',
];

/** Text made of `tokens` and hostile or arbitrary pieces, so generated input is near-valid more often. */
export function tokenText(tokens: readonly string[], maxParts = 12): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...tokens) },
        { weight: 2, arbitrary: fc.constantFrom(...HOSTILE) },
        { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
      ),
      { maxLength: maxParts },
    )
    .map((parts) => parts.join(''));
}

/** Any JSON-like value a YAML/TOML/JSON document or a label decoder can hand over, keys included. */
export function treeOf(keys: readonly string[], leaves: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaves,
      fc.array(tie('tree'), { maxLength: 3 }),
      fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 5 })), tie('tree'), {
        maxKeys: 4,
      }),
    ),
  }));
  return tree;
}

/** Scalars as configuration files carry them (and a few they should not). */
export const scalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('true', 'false', '0', '-1', '1e400', 'NaN', '10s', ':80', 'http://[::1', '', ' '),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

/** A message a user can act on: text, not a stringified object or an internal JavaScript error. */
export function assertClearMessage(message: unknown, input: unknown): void {
  const why = `for input ${JSON.stringify(input)}`;
  assert.equal(typeof message, 'string', why);
  assert.ok((message as string).trim().length > 0, `empty message ${why}`);
  assert.doesNotMatch(
    message as string,
    /\[object Object\]|undefined|is not a function|Cannot read prop/,
    why,
  );
}

/** `fn(input)` returns, or throws a `SwitchyardError` of one of `codes` with a clear message. */
export function returnsOrRefuses<T>(fn: () => T, codes: readonly string[], input: unknown): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof SwitchyardError)) {
      assert.fail(
        `not a SwitchyardError for input ${JSON.stringify(input)}: ${(err as Error)?.stack ?? err}`,
      );
    }
    assert.ok(codes.includes(err.code), `code ${err.code} for input ${JSON.stringify(input)}`);
    assertClearMessage(err.message, input);
    return undefined;
  }
}
