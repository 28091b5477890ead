import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import stripPrefixRegex from './index.js';

async function serve(regex: string[]) {
  return serveMiddleware(stripPrefixRegex.create({ regex }, testBuildContext()));
}

describe('stripPrefixRegex', () => {
  it('removes the matched prefix and sets X-Forwarded-Prefix', async () => {
    const s = await serve(['/api/v\\d+', '/other']);
    try {
      const got = await s.echo('/api/v2/users?x=1');
      assert.equal(got.url, '/users?x=1');
      assert.equal(got.path, '/users');
      assert.equal(got.headers['x-forwarded-prefix'], '/api/v2');
      assert.equal((await s.echo('/api/v2')).url, '/');
    } finally {
      await s.close();
    }
  });

  it('leaves paths with no match, or a match not at the start, alone', async () => {
    const s = await serve(['/api/v\\d+']);
    try {
      assert.equal((await s.echo('/x/api/v1/y')).url, '/x/api/v1/y');
      assert.equal((await s.echo('/nothing')).headers['x-forwarded-prefix'], undefined);
    } finally {
      await s.close();
    }
  });

  it('answers 400 when the remainder is not canonical', async () => {
    const s = await serve(['/a']);
    try {
      assert.equal((await s.request('/a/../admin')).status, 400);
    } finally {
      await s.close();
    }
  });

  it('refuses an invalid expression at build time', () => {
    assert.throws(() => stripPrefixRegex.create({ regex: ['('] }, testBuildContext()), SwitchyardError);
  });
});
