import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { assertClearMessage, DOCUMENT_SYNTAX, RUNS, tokenText } from '../../../test/helpers/fuzz.js';
import { validateDynamic } from '../../config/dynamic/validate.js';
import { parseFile } from './parse-file.js';

const TOKENS = [
  'http',
  'routers',
  'services',
  'r',
  'rule',
  'loadBalancer',
  'servers',
  'url',
  ...DOCUMENT_SYNTAX,
];

describe('file provider parser: no text crashes it', () => {
  for (const format of ['yaml', 'toml', 'json'] as const) {
    it(`${format}: parsed, or a failure with a message`, () => {
      fc.assert(
        fc.property(tokenText(TOKENS, 24), (text) => {
          const out = parseFile(text, format);
          if (!out.ok) return assertClearMessage(out.failure.message, text);
          const checked = validateDynamic(out.file.tree, { provider: 'file' });
          for (const issue of checked.issues) assertClearMessage(issue.message, text);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('a YAML alias without its anchor is a parse failure, not an exception', () => {
    const out = parseFile('http:\n  routers: *missing\n', 'yaml');
    assert.equal(out.ok, false);
    assert.match(!out.ok ? out.failure.message : '', /alias/i);
  });
});
