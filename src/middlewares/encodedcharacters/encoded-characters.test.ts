import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import encodedCharacters from './index.js';
import type { EncodedCharactersOptions } from './schema.js';

async function status(options: Partial<EncodedCharactersOptions>, path: string) {
  const full = {
    ...(Value.Default(encodedCharacters.schema, {}) as object),
    ...options,
  } as EncodedCharactersOptions;
  const s = await serveMiddleware(encodedCharacters.create(full, testBuildContext()));
  try {
    return (await s.request(path)).status;
  } finally {
    await s.close();
  }
}

describe('encodedCharacters', () => {
  it('refuses each encoded character by default, in either case', async () => {
    for (const code of ['%2F', '%2f', '%5C', '%00', '%3B', '%25', '%3F', '%23']) {
      assert.equal(await status({}, `/a${code}b`), 400, code);
    }
  });

  it('accepts what is allowed and ignores the query', async () => {
    assert.equal(await status({ allowEncodedSlash: true }, '/a%2Fb'), 200);
    assert.equal(await status({}, '/a?x=%2F'), 200);
    assert.equal(await status({}, '/a%20b'), 200);
  });
});
