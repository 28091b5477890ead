import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Backend, startBackend } from '../../../test/helpers/backends.js';
import { SwitchyardError } from '../../core/errors.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import forwardAuth from './index.js';
import type { ForwardAuthOptions } from './schema.js';

const defaults = {
  trustForwardHeader: false,
  forwardBody: false,
  maxBodySize: -1,
  maxResponseBodySize: -1,
  preserveLocationHeader: false,
  preserveRequestMethod: false,
};

describe('forwardAuth', () => {
  let auth: Backend;
  before(async () => {
    auth = await startBackend((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c;
      });
      req.on('end', () => {
        if (req.headers.authorization === 'ok') {
          res.writeHead(200, {
            'X-User': 'bob',
            'X-Group-A': '1',
            'X-Method': req.method ?? '',
            'X-Body': body,
          });
          res.end();
        } else {
          res.writeHead(401, { Location: '/signin' });
          res.end('no');
        }
      });
    });
  });
  after(() => auth.close());

  async function serve(options: Partial<ForwardAuthOptions>) {
    const mw = forwardAuth.create(
      { ...defaults, address: `${auth.url}/check`, ...options },
      testBuildContext(),
    );
    return serveMiddleware(mw);
  }

  it('copies authResponseHeaders and authResponseHeadersRegex, asks with GET by default', async () => {
    const s = await serve({
      authResponseHeaders: ['X-User', 'X-Method'],
      authResponseHeadersRegex: '^X-Group-',
    });
    try {
      const got = await s.echo('/', { method: 'DELETE', headers: { Authorization: 'ok' } });
      assert.equal(got.headers['x-user'], 'bob');
      assert.equal(got.headers['x-group-a'], '1');
      assert.equal(got.headers['x-method'], 'GET');
      assert.equal(auth.requests.at(-1)!.headers['x-forwarded-method'], 'DELETE');
    } finally {
      await s.close();
    }
  });

  it('forwards the body and method when asked, and refuses bodies over maxBodySize with 401', async () => {
    const s = await serve({
      forwardBody: true,
      preserveRequestMethod: true,
      authResponseHeaders: ['X-Body', 'X-Method'],
      maxBodySize: 10,
    });
    try {
      const got = JSON.parse(
        (
          await s.request('/', {
            method: 'POST',
            headers: { Authorization: 'ok', 'Content-Length': '4' },
            body: 'data',
          })
        ).body,
      );
      assert.equal(got.headers['x-body'], 'data');
      assert.equal(got.headers['x-method'], 'POST');
      const big = await s.request('/', {
        method: 'POST',
        headers: { Authorization: 'ok', 'Content-Length': '20' },
        body: 'x'.repeat(20),
      });
      assert.equal(big.status, 401);
    } finally {
      await s.close();
    }
  });

  it('sends only authRequestHeaders, and redirects a 401 to authSigninURL', async () => {
    const s = await serve({ authRequestHeaders: ['Authorization'], authSigninURL: 'https://login.test/' });
    try {
      const res = await s.request('/', { headers: { 'X-Secret': 's' } });
      assert.equal(res.status, 302);
      assert.equal(res.headers.location, 'https://login.test/');
      assert.equal(auth.requests.at(-1)!.headers['x-secret'], undefined);
    } finally {
      await s.close();
    }
  });

  it('keeps a relative Location with preserveLocationHeader', async () => {
    const s = await serve({ preserveLocationHeader: true });
    try {
      assert.equal((await s.request('/')).headers.location, '/signin');
    } finally {
      await s.close();
    }
  });

  it('caches positive answers only when configured', async () => {
    const s = await serve({ cache: { duration: 60_000, keyHeaders: ['Authorization'] } });
    try {
      const before = auth.requests.length;
      for (let i = 0; i < 3; i++) await s.echo('/', { headers: { Authorization: 'ok' } });
      assert.equal(auth.requests.length - before, 1);
      assert.equal((await s.request('/', { headers: { Authorization: 'bad' } })).status, 401);
    } finally {
      await s.close();
    }
  });

  it('answers 500 when the auth server cannot be reached, and validates the address', async () => {
    const mw = forwardAuth.create({ ...defaults, address: 'http://127.0.0.1:1/' }, testBuildContext());
    const s = await serveMiddleware(mw);
    try {
      assert.equal((await s.request('/')).status, 500);
    } finally {
      await s.close();
    }
    assert.throws(
      () => forwardAuth.create({ ...defaults, address: '' }, testBuildContext()),
      SwitchyardError,
    );
    assert.throws(
      () => forwardAuth.create({ ...defaults, address: 'ftp://x' }, testBuildContext()),
      SwitchyardError,
    );
  });
});
