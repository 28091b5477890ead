import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import redirectRegex from './index.js';

async function through(
  permanent: boolean,
  path: string,
  method = 'GET',
  headers: Record<string, string> = {},
) {
  const mw = redirectRegex.create(
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go replacement syntax
    { regex: '^http://old\\.test/(.*)', replacement: 'https://new.test/${1}', permanent },
    testBuildContext(),
  );
  const s = await serveMiddleware(mw);
  try {
    return await s.request(path, { method, headers: { Host: 'old.test', ...headers } });
  } finally {
    await s.close();
  }
}

describe('redirectRegex', () => {
  it('redirects GET with 302 and others with 307', async () => {
    const get = await through(false, '/a?b=1');
    assert.equal(get.status, 302);
    assert.equal(get.headers.location, 'https://new.test/a?b=1');
    assert.equal((await through(false, '/a', 'POST')).status, 307);
  });

  it('uses 301 and 308 when permanent', async () => {
    assert.equal((await through(true, '/a')).status, 301);
    assert.equal((await through(true, '/a', 'PUT')).status, 308);
  });

  it('passes requests that do not match', async () => {
    assert.equal((await through(false, '/a', 'GET', { Host: 'other.test' })).status, 200);
  });

  it('ignores X-Forwarded-Proto, as Traefik does: the URL has the scheme of the connection', async () => {
    const res = await through(false, '/a', 'GET', { 'X-Forwarded-Proto': 'https' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, 'https://new.test/a');
  });
});
