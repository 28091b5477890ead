import assert from 'node:assert/strict';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type Running, startWithDynamic } from '../helpers/cli.js';
import { request } from '../helpers/http.js';

describe('h2c:// servers through the CLI', () => {
  let backend: http2.Http2Server;
  const sessions = new Set<http2.ServerHttp2Session>();
  let sy: Running;

  before(async () => {
    backend = http2.createServer((req, res) => {
      res.setHeader('x-backend-version', req.httpVersion);
      res.end(`${req.method} ${req.url} host=${req.headers[':authority']}`);
    });
    backend.on('session', (s: http2.ServerHttp2Session) => {
      sessions.add(s);
      s.on('close', () => sessions.delete(s));
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    const port = (backend.address() as AddressInfo).port;
    sy = await startWithDynamic(
      [
        'http:',
        '  routers:',
        '    h2: { rule: "Host(`h2.test`)", service: h2 }',
        '  services:',
        `    h2: { loadBalancer: { servers: [{ url: "h2c://127.0.0.1:${port}" }] } }`,
      ].join('\n'),
    );
    await sy.waitFor(/configuration applied.*routers=1/);
  });

  after(async () => {
    await sy?.stop();
    for (const s of sessions) s.destroy();
    await new Promise((r) => backend?.close(r));
  });

  it('forwards HTTP/1.1 client requests to the backend over HTTP/2', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await request(sy.url('web', `/p/${i}?q=1`), { headers: { host: 'h2.test' } });
      assert.equal(res.status, 200);
      assert.equal(res.headers['x-backend-version'], '2.0');
      assert.equal(res.body, `GET /p/${i}?q=1 host=h2.test`);
    }
    const post = await request(sy.url('web', '/post'), {
      method: 'POST',
      headers: { host: 'h2.test' },
      body: 'payload',
    });
    assert.equal(post.body, 'POST /post host=h2.test');
  });
});
