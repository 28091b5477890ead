import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rootLogger } from '../../core/logger.js';
import { serveMiddleware, type TestServer, testBuildContext } from '../test-context.js';
import stripPrefix from './index.js';
import { isCanonicalPath } from './strip-prefix.js';

function serve(prefixes: string[]): Promise<TestServer> {
  return serveMiddleware(stripPrefix.create({ prefixes }, testBuildContext()));
}

describe('stripPrefix', () => {
  let server: TestServer;
  before(async () => {
    server = await serve(['/foo', '/foo/bar', '/api/', '/a b', '/ü']);
  });
  after(() => server.close());

  it('removes the first prefix that matches, in configuration order', async () => {
    const got = await server.echo('/foo/bar/baz');
    assert.equal(got.url, '/bar/baz');
    assert.equal(got.path, '/bar/baz');
    assert.equal(got.headers['x-forwarded-prefix'], '/foo');
  });

  it('leaves a path that matches no prefix alone', async () => {
    const got = await server.echo('/other/x?q=1');
    assert.equal(got.url, '/other/x?q=1');
    assert.equal(got.path, '/other/x');
    assert.equal(got.headers['x-forwarded-prefix'], undefined);
  });

  it('keeps the query string', async () => {
    const got = await server.echo('/foo/x?a=1&b=%2F');
    assert.equal(got.url, '/x?a=1&b=%2F');
    assert.equal(got.path, '/x');
  });

  it('matches inside a segment and adds the leading slash back', async () => {
    const got = await server.echo('/fooledyou');
    assert.equal(got.url, '/ledyou');
    assert.equal(got.headers['x-forwarded-prefix'], '/foo');
  });

  it('turns an emptied path into /', async () => {
    assert.equal((await server.echo('/foo')).url, '/');
    assert.equal((await server.echo('/foo?x=1')).url, '/?x=1');
    assert.equal((await server.echo('/api/')).url, '/');
  });

  it('handles prefixes and paths with trailing slashes', async () => {
    assert.equal((await server.echo('/api/users/')).url, '/users/');
    assert.equal((await server.echo('/foo/')).url, '/');
    // `/api/` does not match `/api`, so the path goes through unchanged.
    const got = await server.echo('/api');
    assert.equal(got.url, '/api');
    assert.equal(got.headers['x-forwarded-prefix'], undefined);
  });

  it('adds X-Forwarded-Prefix to one already present instead of replacing it', async () => {
    const got = await server.echo('/foo/x', { headers: { 'X-Forwarded-Prefix': '/outer' } });
    assert.deepEqual(got.headers['x-forwarded-prefix'], ['/outer', '/foo']);
  });

  it('compares prefixes with the decoded path and strips the encoded text that matched', async () => {
    let got = await server.echo('/%66oo/x%2Fy');
    assert.equal(got.url, '/x%2Fy');
    assert.equal(got.path, '/x%2Fy');
    got = await server.echo('/a%20b/c%20d');
    assert.equal(got.url, '/c%20d');
    assert.equal(got.path, '/c d');
    assert.equal(got.headers['x-forwarded-prefix'], '/a b');
    got = await server.echo('/%C3%BC/x');
    assert.equal(got.url, '/x');
    assert.equal(got.headers['x-forwarded-prefix'], '/ü');
  });

  it('does not let an escape match a literal percent of the prefix', async () => {
    const pct = await serve(['/100%']);
    try {
      assert.equal((await pct.echo('/100%25/x')).url, '/x');
      assert.equal((await pct.echo('/100%41/x')).url, '/100%41/x');
    } finally {
      await pct.close();
    }
  });

  it('answers 400 when what remains is not a canonical path', async () => {
    for (const path of [
      '/foo../admin',
      '/foo//admin',
      '/foo/./x',
      '/foo/x/..',
      '/foo/%2e%2e/admin',
      '/foo/a//',
    ]) {
      const res = await server.request(path);
      assert.equal(res.status, 400, path);
      assert.equal(res.body, 'Bad Request\n');
    }
  });

  it('accepts dots that are not dot segments', async () => {
    assert.equal((await server.echo('/foo/.well-known/x')).url, '/.well-known/x');
    assert.equal((await server.echo('/foo/...')).url, '/...');
  });

  it('passes everything through without prefixes', async () => {
    const none = await serve([]);
    try {
      assert.equal((await none.echo('/foo/x')).url, '/foo/x');
    } finally {
      await none.close();
    }
  });

  it('warns that forceSlash is deprecated', () => {
    const build = { ...testBuildContext(), logger: rootLogger.child({}) };
    const warnings: string[] = [];
    build.logger.warn = (msg: string) => {
      warnings.push(msg);
    };
    stripPrefix.create({ prefixes: ['/a'], forceSlash: true }, build);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /forceSlash.*deprecated/);
  });
});

describe('isCanonicalPath', () => {
  it('follows path cleaning, keeping a trailing slash', () => {
    for (const ok of ['/', '/a', '/a/', '/a/b.c', '/.x', '/a/...'])
      assert.equal(isCanonicalPath(ok), true, ok);
    for (const bad of ['//', '//a', '/a//b', '/a//', '/.', '/./a', '/a/.', '/..', '/a/../b', '/a/..']) {
      assert.equal(isCanonicalPath(bad), false, bad);
    }
  });
});
