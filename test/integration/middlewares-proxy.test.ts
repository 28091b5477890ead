import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { type Backend, startBackend } from '../helpers/backends.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { request } from '../helpers/http.js';

describe('middlewares through the real CLI', () => {
  const backends: (Backend & { name: string })[] = [];
  let auth: Backend;
  let pages: Backend;
  let app: Backend;
  let sy: Running;
  let killedOnce = false;

  /** A backend that, for the first /slow request anyone gets, dies while the request is in flight. */
  const dying = (name: string) => (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/slow' && !killedOnce) {
      killedOnce = true;
      // The request is in flight here: the backend dies (its connections cut) without answering.
      void backends.find((b) => b.name === name)!.close();
      return;
    }
    res.end(`served by ${name}`);
  };

  before(async () => {
    for (const name of ['one', 'two'])
      backends.push(Object.assign(await startBackend(dying(name)), { name }));
    auth = await startBackend((req, res) => {
      if (req.headers.authorization === 'Bearer good') {
        res.writeHead(200, { 'X-Auth-User': 'alice', 'Set-Cookie': 'session=s1; Path=/' });
        res.end();
      } else {
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer', Location: '/login' });
        res.end('denied by auth');
      }
    });
    pages = await startBackend((req, res) => res.end(`error page for ${req.url}`));
    app = await startBackend((req, res) => {
      if (req.url?.startsWith('/status/')) {
        res.writeHead(Number(req.url.slice(8)), { 'content-type': 'text/plain' });
        res.end('backend error body');
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/plain',
        'x-user-seen': String(req.headers['x-auth-user'] ?? ''),
      });
      res.end('x'.repeat(5000));
    });
    const dir = tempDir();
    const dynamic = writeFile(
      dir,
      'dynamic.yml',
      `
http:
  routers:
    retry:
      rule: "Host(\`retry.test\`)"
      middlewares: [retry]
      service: pair
    auth:
      rule: "Host(\`auth.test\`)"
      middlewares: [auth]
      service: app
    errors:
      rule: "Host(\`errors.test\`)"
      middlewares: [pages]
      service: app
    gzip:
      rule: "Host(\`gzip.test\`)"
      middlewares: [compress]
      service: app
  middlewares:
    retry:
      retry:
        attempts: 3
    auth:
      forwardAuth:
        address: "${auth.url}/verify"
        authResponseHeaders: [X-Auth-User]
        addAuthCookiesToResponse: [session]
    pages:
      errors:
        status: ["500-599"]
        statusRewrites:
          "502": 503
        service: error-pages
        query: "/{status}.html?from={originalStatus}"
    compress:
      compress: {}
  services:
    pair:
      loadBalancer:
        servers:
          - url: "${backends[0]!.url}"
          - url: "${backends[1]!.url}"
    app:
      loadBalancer:
        servers:
          - url: "${app.url}"
    error-pages:
      loadBalancer:
        servers:
          - url: "${pages.url}"
`,
    );
    sy = await startSwitchyard(
      ['--entryPoints.web.address=127.0.0.1:0', `--providers.file.filename=${dynamic}`],
      {
        expectEntryPoints: ['web'],
      },
    );
    await sy.waitFor(/configuration applied.*generation=2/);
  });

  after(async () => {
    await sy?.stop();
    for (const b of [...backends, auth, pages, app]) await b?.close();
  });

  it('retry: replays a request whose backend dies while it is in flight on the other server', async () => {
    const res = await request(sy.url('web', '/slow'), { headers: { host: 'retry.test' } });
    assert.equal(killedOnce, true, `${res.status} ${res.body}`);
    assert.equal(res.status, 200);
    assert.match(res.body, /^served by (one|two)$/);
  });

  it('forwardAuth: lets an accepted request through with the auth headers and cookies', async () => {
    const res = await request(sy.url('web', '/'), {
      headers: { host: 'auth.test', authorization: 'Bearer good' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-user-seen'], 'alice');
    assert.deepEqual(res.headers['set-cookie'], ['session=s1; Path=/']);
    assert.equal(auth.requests.at(-1)!.headers['x-forwarded-host'], 'auth.test');
    assert.equal(auth.requests.at(-1)!.headers['x-forwarded-uri'], '/');
  });

  it('forwardAuth: returns the auth server answer when it refuses, Location made absolute', async () => {
    const res = await request(sy.url('web', '/private'), { headers: { host: 'auth.test' } });
    assert.equal(res.status, 401);
    assert.equal(res.body, 'denied by auth');
    assert.equal(res.headers['www-authenticate'], 'Bearer');
    assert.equal(res.headers.location, `${auth.url}/login`);
  });

  it('errors: serves the error page with the original or rewritten status', async () => {
    let res = await request(sy.url('web', '/status/500'), { headers: { host: 'errors.test' } });
    assert.equal(res.status, 500);
    assert.equal(res.body, 'error page for /500.html?from=500');
    res = await request(sy.url('web', '/status/502'), { headers: { host: 'errors.test' } });
    assert.equal(res.status, 503);
    assert.equal(res.body, 'error page for /503.html?from=502');
    res = await request(sy.url('web', '/status/404'), { headers: { host: 'errors.test' } });
    assert.equal(res.status, 404);
    assert.equal(res.body, 'backend error body');
  });

  it('compress: gzip and brotli bodies that real decoders read back', async () => {
    for (const [encoding, decode] of [
      ['gzip', zlib.gunzipSync],
      ['br', zlib.brotliDecompressSync],
    ] as const) {
      const res = await rawGet(sy.url('web', '/'), { host: 'gzip.test', 'accept-encoding': encoding });
      assert.equal(res.headers['content-encoding'], encoding);
      assert.match(String(res.headers.vary), /Accept-Encoding/);
      assert.equal(decode(res.body).toString(), 'x'.repeat(5000));
    }
    const plain = await rawGet(sy.url('web', '/'), { host: 'gzip.test' });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body.length, 5000);
  });
});

async function rawGet(url: string, headers: Record<string, string>) {
  const { default: http } = await import('node:http');
  return new Promise<{ headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}
