import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RUNS, returnsOrRefuses, tokenText } from '../../test/helpers/fuzz.js';
import { compileRule } from './compile.js';

/** Rule fragments: every matcher of both syntaxes, a misspelt one, operators, quotes and arguments. */
const TOKENS = [
  'Host',
  'HostRegexp',
  'Path',
  'PathPrefix',
  'PathRegexp',
  'Method',
  'Header',
  'HeaderRegexp',
  'Query',
  'QueryRegexp',
  'ClientIP',
  'Headers',
  'HostHeader',
  'Hots',
  '(',
  ')',
  '`',
  '"',
  ',',
  ' && ',
  ' || ',
  '!',
  ' ',
  '`a.example.com`',
  '`/api`',
  '`{id:[0-9]+}`',
  '`^/(a+)+$`',
  '`10.0.0.0/8`',
  '`GET`',
  '"\\x41"',
  '"\\u00e9"',
  '"\\777"',
  '`{`',
  '`[`',
];

describe('rule parser and compiler: no input crashes them', () => {
  for (const syntax of ['v3', 'v2'] as const) {
    it(`${syntax}: any text compiles or is refused with RULE_SYNTAX naming what is wrong`, () => {
      fc.assert(
        fc.property(tokenText(TOKENS, 16), (rule) => {
          const compiled = returnsOrRefuses(() => compileRule(rule, syntax), ['RULE_SYNTAX'], rule);
          if (compiled) assert.equal(typeof compiled.predicate, 'function');
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('well-formed matchers with arbitrary arguments compile or are refused with RULE_SYNTAX', () => {
    const matcher = fc.tuple(
      fc.constantFrom('Host', 'HostRegexp', 'PathPrefix', 'PathRegexp', 'Header', 'QueryRegexp', 'ClientIP'),
      fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 2 }),
    );
    fc.assert(
      fc.property(fc.array(matcher, { minLength: 1, maxLength: 3 }), (matchers) => {
        const rule = matchers
          .map(([name, args]) => `${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`)
          .join(' && ');
        returnsOrRefuses(() => compileRule(rule), ['RULE_SYNTAX'], rule);
      }),
      { numRuns: RUNS },
    );
  });
});
