import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { refusedUrl, httpRequest as send, startFrontend } from '../../test/helpers/backends.js';
import { createCA, type IssuedCert, issueCert, type TestCA } from '../../test/helpers/certs.js';
import type { ServersTransport } from '../config/dynamic/index.js';
import { forward } from './forward.js';
import { createUpstreamTarget, type UpstreamTarget } from './target.js';

type H2Handler = (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void;

let generation = 5000;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

function targetFor(url: string, transport: ServersTransport = {}, passHostHeader = true): UpstreamTarget {
  return createUpstreamTarget(
    { url },
    { name: `h2-test-${generation}`, config: transport },
    { passHostHeader, generation: generation++ },
  );
}

async function proxyTo(target: UpstreamTarget) {
  const front = await startFrontend((ctx) => forward(ctx, target));
  cleanups.push(front.close);
  cleanups.push(async () => target.h2?.close());
  return front;
}

async function listen(server: http2.Http2Server | http2.Http2SecureServer): Promise<number> {
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s: http2.ServerHttp2Session) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    for (const s of sessions) s.destroy();
    await new Promise((r) => server.close(r));
  });
  return (server.address() as AddressInfo).port;
}

async function h2cBackend(handler: H2Handler): Promise<string> {
  return `h2c://127.0.0.1:${await listen(http2.createServer(handler))}`;
}

const echo: H2Handler = (req, res) => {
  res.writeHead(200, {
    'x-version': req.httpVersion,
    'x-authority': String(req.headers[':authority']),
    'x-xff': String(req.headers['x-forwarded-for']),
    'x-proto': String(req.headers['x-forwarded-proto']),
    'x-hop': String(req.headers['x-hop']),
  });
  req.pipe(res);
};

describe('forward over HTTP/2 cleartext (h2c://)', () => {
  it('forwards a GET with the usual headers, dropping connection-specific ones', async () => {
    const url = await h2cBackend(echo);
    const front = await proxyTo(targetFor(url));
    const reply = await send(`${front.url}/x?y=1`, {
      headers: {
        Host: 'app.test',
        Connection: 'X-Hop',
        'X-Hop': 'drop me',
        'X-Forwarded-For': '203.0.113.9',
      },
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['x-version'], '2.0');
    assert.equal(reply.headers['x-authority'], 'app.test');
    assert.equal(reply.headers['x-xff'], '203.0.113.9, 127.0.0.1');
    assert.equal(reply.headers['x-proto'], 'http');
    assert.equal(reply.headers['x-hop'], 'undefined');
  });

  it('sends the server authority when passHostHeader is false', async () => {
    const url = await h2cBackend(echo);
    const front = await proxyTo(targetFor(url, {}, false));
    const reply = await send(front.url, { headers: { Host: 'app.test' } });
    assert.equal(reply.headers['x-authority'], url.slice('h2c://'.length));
  });

  it('streams a large POST body both ways', async () => {
    const url = await h2cBackend(echo);
    const front = await proxyTo(targetFor(url));
    const chunk = Buffer.alloc(64 * 1024, 7);
    const total = 8 * 1024 * 1024;
    let sent = 0;
    const body = new Readable({
      read() {
        if (sent >= total) this.push(null);
        else {
          sent += chunk.length;
          this.push(chunk);
        }
      },
    });
    const reply = await send(front.url, { method: 'POST', body });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.length, total);
    const want = createHash('sha256');
    for (let i = 0; i < total / chunk.length; i++) want.update(chunk);
    assert.equal(createHash('sha256').update(reply.body).digest('hex'), want.digest('hex'));
  });

  it('answers 502 when the backend kills the session, then recovers on a new one', async () => {
    let kill = true;
    const url = await h2cBackend((req, res) => {
      if (kill) {
        kill = false;
        req.stream.session?.destroy();
        return;
      }
      res.end('back');
    });
    const front = await proxyTo(targetFor(url));
    const first = await send(front.url);
    assert.equal(first.status, 502);
    assert.equal(front.contexts[0]?.upstreamError?.status, 502);
    let reply = await send(front.url);
    for (let i = 0; i < 5 && reply.status !== 200; i++) reply = await send(front.url);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.toString(), 'back');
  });

  it('answers 504 when the response head is later than responseHeaderTimeout', async () => {
    const url = await h2cBackend(() => {
      // Never answers.
    });
    const front = await proxyTo(targetFor(url, { forwardingTimeouts: { responseHeaderTimeout: 50 } }));
    const reply = await send(front.url);
    assert.equal(reply.status, 504);
    assert.equal(front.contexts[0]?.upstreamError?.status, 504);
  });

  it('answers 502 when nothing listens', async () => {
    const front = await proxyTo(targetFor((await refusedUrl()).replace('http:', 'h2c:')));
    assert.equal((await send(front.url)).status, 502);
  });

  it('tells a client that expects 100 Continue to send its body', async () => {
    const url = await h2cBackend(echo);
    const front = await proxyTo(targetFor(url));
    const reply = await new Promise<string>((resolve, reject) => {
      const req = http.request(front.url, {
        method: 'POST',
        agent: false,
        headers: { Expect: '100-continue', 'Content-Length': '4' },
      });
      req.on('continue', () => req.end('body'));
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
    });
    assert.equal(reply, 'body');
  });

  it('records 499 and cancels the stream when the client leaves first', async () => {
    let cancelled: () => void = () => {};
    const gone = new Promise<void>((r) => {
      cancelled = r;
    });
    let arrived: () => void = () => {};
    const started = new Promise<void>((r) => {
      arrived = r;
    });
    const url = await h2cBackend((req) => {
      req.stream.on('close', () => cancelled());
      arrived();
    });
    const front = await proxyTo(targetFor(url));
    const req = http.request(front.url, { agent: false });
    req.on('error', () => {});
    req.end();
    await started;
    req.destroy();
    await gone;
    assert.equal(front.contexts[0]?.abortedStatus, 499);
  });

  it('sends a replayed body and reports each result', async () => {
    const url = await h2cBackend(echo);
    const target = targetFor(url);
    const results: boolean[] = [];
    const front = await startFrontend((ctx) => {
      ctx.replayBody = Buffer.from('replay!');
      forward(ctx, target, { onResult: (_t, ok) => results.push(ok) });
    });
    cleanups.push(front.close);
    const reply = await send(front.url, { method: 'POST', body: 'ignored' });
    assert.equal(reply.body.toString(), 'replay!');
    assert.deepEqual(results, [true]);
  });
});

describe('forward over HTTPS with HTTP/2 by ALPN', () => {
  let ca: TestCA;
  let leaf: IssuedCert;
  before(async () => {
    ca = await createCA({ commonName: 'H2 CA' });
    leaf = await issueCert(ca, { dnsNames: ['backend.test'], ipAddresses: ['127.0.0.1'] });
  });

  async function tlsBackend(allowHTTP1: boolean): Promise<string> {
    const server = http2.createSecureServer({ cert: leaf.fullChain, key: leaf.key, allowHTTP1 }, (req, res) =>
      res.end(`version=${req.httpVersion}`),
    );
    return `https://127.0.0.1:${await listen(server)}`;
  }

  it('uses HTTP/2 when the server picks h2', async () => {
    const front = await proxyTo(targetFor(await tlsBackend(true), { rootCAs: [ca.cert] }));
    for (let i = 0; i < 3; i++) assert.equal((await send(front.url)).body.toString(), 'version=2.0');
  });

  it('keeps HTTP/1.1 with disableHTTP2', async () => {
    const target = targetFor(await tlsBackend(true), { rootCAs: [ca.cert], disableHTTP2: true });
    const front = await proxyTo(target);
    assert.equal((await send(front.url)).body.toString(), 'version=1.1');
  });

  it('falls back to HTTP/1.1 when the server does not offer h2', async () => {
    const { default: https } = await import('node:https');
    const server = https.createServer({ cert: leaf.fullChain, key: leaf.key }, (req, res) =>
      res.end(`version=${req.httpVersion}`),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });
    const target = targetFor(`https://127.0.0.1:${(server.address() as AddressInfo).port}`, {
      rootCAs: [ca.cert],
    });
    const front = await proxyTo(target);
    for (let i = 0; i < 2; i++) assert.equal((await send(front.url)).body.toString(), 'version=1.1');
    assert.equal(target.h2?.http1, true);
  });

  it('answers 502 when the server certificate is not trusted', async () => {
    const front = await proxyTo(targetFor(await tlsBackend(true)));
    assert.equal((await send(front.url)).status, 502);
  });
});
