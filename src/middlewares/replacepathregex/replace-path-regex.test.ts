import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import replacePathRegex from './index.js';

async function through(regex: string, replacement: string, target: string) {
  const s = await serveMiddleware(replacePathRegex.create({ regex, replacement }, testBuildContext()));
  try {
    return await s.request(target);
  } finally {
    await s.close();
  }
}

describe('replacePathRegex', () => {
  it('rewrites with Go-style groups and records X-Replaced-Path', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go replacement syntax
    const res = await through('^/foo/(.*)', '/bar/${1}', '/foo/baz?q=1');
    const got = JSON.parse(res.body);
    assert.equal(got.url, '/bar/baz?q=1');
    assert.equal(got.headers['x-replaced-path'], '/foo/baz');
  });

  it('supports named groups and $1', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go replacement syntax
    const got = JSON.parse((await through('^/(?P<a>\\w+)/(\\w+)$', '/$2/${a}', '/x/y')).body);
    assert.equal(got.url, '/y/x');
  });

  it('passes a path with no match unchanged', async () => {
    const got = JSON.parse((await through('^/nope', '/x', '/keep')).body);
    assert.equal(got.url, '/keep');
    assert.equal(got.headers['x-replaced-path'], undefined);
  });

  it('answers 500 when the result cannot be decoded', async () => {
    assert.equal((await through('^/a', '/%zz', '/a')).status, 500);
  });

  it('sends a result without leading slash, or an emptied path, with one', async () => {
    assert.equal(JSON.parse((await through('^/(.*)', '$1', '/x?q')).body).url, '/x?q');
    assert.equal(JSON.parse((await through('^/all', '', '/all')).body).url, '/');
  });

  it('answers 400 to a result with a . or .. segment', async () => {
    assert.equal((await through('^/foo(.*)', '/$1', '/foo../bar')).status, 400);
    assert.equal((await through('^/a/', '/b/./', '/a/c')).status, 400);
  });

  it('refuses an empty or invalid regex', () => {
    assert.throws(
      () => replacePathRegex.create({ regex: '', replacement: '/' }, testBuildContext()),
      SwitchyardError,
    );
    assert.throws(
      () => replacePathRegex.create({ regex: '[', replacement: '/' }, testBuildContext()),
      SwitchyardError,
    );
  });
});
