import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import replacePath from './index.js';

async function through(path: string, target: string, headers?: Record<string, string>) {
  const server = await serveMiddleware(replacePath.create({ path }, testBuildContext()));
  try {
    return await server.echo(target, { headers });
  } finally {
    await server.close();
  }
}

describe('replacePath', () => {
  it('replaces the path and records the old one in X-Replaced-Path', async () => {
    const got = await through('/foo', '/some/long/path');
    assert.equal(got.url, '/foo');
    assert.equal(got.path, '/foo');
    assert.equal(got.headers['x-replaced-path'], '/some/long/path');
  });

  it('keeps the query, which is not part of X-Replaced-Path', async () => {
    const got = await through('/foo', '/bar?x=1&y=2');
    assert.equal(got.url, '/foo?x=1&y=2');
    assert.equal(got.headers['x-replaced-path'], '/bar');
  });

  it('records the old path in its raw form', async () => {
    const got = await through('/foo', '/a%2Fb/%41');
    assert.equal(got.headers['x-replaced-path'], '/a%2Fb/%41');
  });

  it('takes the new path in encoded form', async () => {
    const got = await through('/foo%2Fbar/%41', '/x');
    assert.equal(got.url, '/foo%2Fbar/%41');
    assert.equal(got.path, '/foo%2Fbar/A');
  });

  it('encodes characters a raw path cannot carry and adds a missing leading slash', async () => {
    assert.equal((await through('/a b', '/x')).url, '/a%20b');
    assert.equal((await through('foo', '/x')).url, '/foo');
    assert.equal((await through('', '/x?q')).url, '/?q');
  });

  it('adds to an X-Replaced-Path already present', async () => {
    const got = await through('/foo', '/bar', { 'X-Replaced-Path': '/first' });
    assert.deepEqual(got.headers['x-replaced-path'], ['/first', '/bar']);
  });

  it('refuses a path with a broken escape', () => {
    assert.throws(
      () => replacePath.create({ path: '/a%zz' }, testBuildContext()),
      (err: unknown) =>
        err instanceof SwitchyardError && err.code === 'CONFIG_INVALID' && /%XX/.test(err.message),
    );
  });
});
