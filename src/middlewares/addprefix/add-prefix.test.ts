import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import addPrefix from './index.js';

async function through(prefix: string, path: string) {
  const server = await serveMiddleware(addPrefix.create({ prefix }, testBuildContext()));
  try {
    return await server.echo(path);
  } finally {
    await server.close();
  }
}

describe('addPrefix', () => {
  it('puts the prefix in front of the path', async () => {
    const got = await through('/api', '/users');
    assert.equal(got.url, '/api/users');
    assert.equal(got.path, '/api/users');
  });

  it('keeps the query string', async () => {
    const got = await through('/api', '/users?id=1&x=%20');
    assert.equal(got.url, '/api/users?id=1&x=%20');
    assert.equal(got.path, '/api/users');
  });

  it('keeps the raw path escapes, in both forms', async () => {
    const got = await through('/api', '/a%2Fb/%41');
    assert.equal(got.url, '/api/a%2Fb/%41');
    assert.equal(got.path, '/api/a%2Fb/A');
  });

  it('adds a leading slash to a prefix without one', async () => {
    const got = await through('api', '/users');
    assert.equal(got.url, '/api/users');
    assert.equal(got.path, '/api/users');
  });

  it('treats the prefix as a decoded path and encodes it for the raw target', async () => {
    const got = await through('/my app/100%', '/x');
    assert.equal(got.url, '/my%20app/100%25/x');
    assert.equal(got.path, '/my app/100%25/x');
  });

  it('refuses an empty prefix', () => {
    assert.throws(
      () => addPrefix.create({ prefix: '' }, testBuildContext()),
      (err: unknown) =>
        err instanceof SwitchyardError && err.code === 'CONFIG_INVALID' && /empty/.test(err.message),
    );
  });
});
