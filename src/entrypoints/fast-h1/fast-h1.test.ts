import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { httpRequest } from '../../../test/helpers/backends.js';
import { FAST_HTTP1 } from './server.js';
import { BIG, type Fixture, rawExchange, startFixture, statusLines } from './test-fixture.js';

let fx: Fixture;
before(async () => {
  fx = await startFixture();
});
after(() => fx.close());

describe('HTTP/1 fast path: serving', () => {
  it('serves keep-alive GETs on one connection, in order, with node-like heads', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const from = fx.protocols.length;
    const a = await httpRequest(`http://127.0.0.1:${fx.port}/a?x=1`, { agent });
    const b = await httpRequest(`http://127.0.0.1:${fx.port}/b`, { agent });
    agent.destroy();
    assert.equal(a.body.toString(), 'ok GET /a?x=1');
    assert.equal(b.body.toString(), 'ok GET /b');
    assert.equal(a.headers['content-length'], String('ok GET /a?x=1'.length));
    assert.equal(a.headers.connection, 'keep-alive');
    assert.equal(a.headers['keep-alive'], 'timeout=5');
    assert.ok(a.headers.date, 'a Date header is added');
    assert.deepEqual(fx.protocols.slice(from), [FAST_HTTP1, FAST_HTTP1]);
  });

  it('keeps request headers as node does: repeats joined, set-cookie kept apart, first Host wins', async () => {
    const text = await rawExchange(
      fx.port,
      'GET /h HTTP/1.1\r\nHost: one\r\nCookie: a=1\r\nCookie: b=2\r\nAccept: x\r\nAccept: y\r\n' +
        'Set-Cookie: s=1\r\nSet-Cookie: s=2\r\nConnection: close\r\n\r\n',
    );
    assert.match(statusLines(text)[0]!, /^HTTP\/1.1 200/);
    const req = fx.contexts.at(-1)!.req;
    assert.equal(req.headers.cookie, 'a=1; b=2');
    assert.equal(req.headers.accept, 'x, y');
    assert.deepEqual(req.headers['set-cookie'], ['s=1', 's=2']);
    assert.equal(req.rawHeaders.length, 16);
    assert.equal(fx.protocols.at(-1), FAST_HTTP1);
  });

  it("takes headers named like Object's own properties as plain headers", async () => {
    const text = await rawExchange(
      fx.port,
      'GET /p HTTP/1.1\r\nHost: one\r\nConstructor: x\r\ntoString: y\r\nConnection: close\r\n\r\n',
    );
    assert.match(statusLines(text)[0]!, /^HTTP\/1.1 200/);
    const req = fx.contexts.at(-1)!.req;
    assert.equal(req.headers.constructor, 'x');
    assert.equal(req.headers.tostring, 'y');
  });

  it('answers pipelined requests in order and closes after Connection: close', async () => {
    const text = await rawExchange(
      fx.port,
      'GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    const bodies = text.match(/ok GET \/\d/g);
    assert.deepEqual(bodies, ['ok GET /1', 'ok GET /2', 'ok GET /3']);
    assert.match(text, /Connection: close\r\n/);
  });

  it('HEAD, 204 and 304 carry no body; a HEAD keeps the length', async () => {
    const head = await rawExchange(fx.port, 'HEAD /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.match(head, /^HTTP\/1.1 200 OK\r\n/);
    assert.match(head, /content-length: 10\r\n/i);
    assert.ok(head.endsWith('\r\n\r\n'), 'nothing after the head');
    for (const code of ['204', '304']) {
      const text = await rawExchange(
        fx.port,
        `GET /${code} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      assert.match(text, new RegExp(`^HTTP/1.1 ${code} `));
      assert.doesNotMatch(text, /transfer-encoding/i);
      assert.ok(text.endsWith('\r\n\r\n'), `no body after a ${code}`);
    }
  });

  it('sends a body of unknown length chunked to HTTP/1.1 and close-delimited to HTTP/1.0', async () => {
    const v11 = await rawExchange(fx.port, 'GET /chunked HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.match(v11, /Transfer-Encoding: chunked\r\n/);
    assert.ok(v11.endsWith('\r\n0\r\n\r\n'), 'the last chunk ends the body');
    const reply = await httpRequest(`http://127.0.0.1:${fx.port}/chunked`);
    assert.equal(reply.body.toString(), 'one,two,three');
    const v10 = await rawExchange(fx.port, 'GET /chunked HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    assert.match(v10, /^HTTP\/1.1 200 OK\r\n/);
    assert.match(v10, /Connection: close\r\n/);
    assert.doesNotMatch(v10, /transfer-encoding/i);
    assert.ok(v10.endsWith('\r\n\r\none,two,three'), 'the body runs to the close');
  });

  it('keeps an HTTP/1.0 connection open only when asked and the length is known', async () => {
    const socket = net.connect(fx.port, '127.0.0.1');
    let text = '';
    let second = false;
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      if (!second && text.includes('ok GET /k1')) {
        second = true;
        socket.write('GET /k2 HTTP/1.0\r\n\r\n');
      }
    });
    socket.write('GET /k1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    await new Promise((resolve) => socket.on('close', resolve));
    assert.match(text, /Connection: keep-alive\r\n[\s\S]*ok GET \/k1/);
    assert.match(text, /Connection: close\r\n[\s\S]*ok GET \/k2$/);
  });

  it('keeps a slow reader whole: a large body arrives complete under backpressure', async () => {
    const reply = await new Promise<number>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: fx.port, path: '/big', agent: false }, (res) => {
          let n = 0;
          res.pause();
          // Reads in small steps after the socket buffers filled, so the proxy must wait for `drain`.
          const step = () => {
            let chunk: Buffer | null = res.read() as Buffer | null;
            while (chunk !== null) {
              n += chunk.length;
              chunk = res.read() as Buffer | null;
            }
            if (res.readableEnded) resolve(n);
          };
          res.on('readable', step);
          res.on('end', () => resolve(n));
          res.on('error', reject);
        })
        .on('error', reject);
    });
    assert.equal(reply, BIG);
  });

  it('cuts the upstream exchange when the client leaves mid-response', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: fx.port, path: '/endless', agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req.on('timeout', reject);
    });
    for (let i = 0; i < 400 && !fx.gone.includes('/endless'); i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.ok(fx.gone.includes('/endless'), 'the backend saw its response cut');
    assert.equal(fx.contexts.at(-1)?.protocol, FAST_HTTP1);
  });

  it('answers 408 to a head that does not complete within the read timeout', async () => {
    const slow = await startFixture({ readTimeoutMs: 300 });
    try {
      const text = await rawExchange(slow.port, 'GET /never HTTP/1.1\r\nHost: x\r\n');
      assert.match(text, /^HTTP\/1.1 408 Request Timeout\r\n/);
      assert.equal(slow.backendRequests(), 0);
    } finally {
      await slow.close();
    }
  });

  it('passes 103 Early Hints on before the answer', async () => {
    const text = await rawExchange(fx.port, 'GET /hints HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.deepEqual(statusLines(text), ['HTTP/1.1 103 Early Hints', 'HTTP/1.1 200 OK']);
    assert.match(text, /Link: <\/style.css>; rel=preload; as=style\r\n/i);
    assert.ok(text.endsWith('after hints'));
  });

  it('closes a keep-alive connection left idle for idleTimeout', async () => {
    const idle = await startFixture({ idleTimeoutMs: 200 });
    try {
      const socket = net.connect(idle.port, '127.0.0.1');
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
      socket.write('GET /i HTTP/1.1\r\nHost: x\r\n\r\n');
      await new Promise((resolve) => socket.on('close', resolve));
      assert.match(text, /Connection: keep-alive\r\n[\s\S]*ok GET \/i$/);
    } finally {
      await idle.close();
    }
  });

  it('graceful stop: the request in flight is answered with Connection: close, then the connection ends', async () => {
    const stopping = await startFixture();
    try {
      const socket = net.connect(stopping.port, '127.0.0.1');
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
      const closed = new Promise((resolve) => socket.on('close', resolve));
      socket.write('GET /held HTTP/1.1\r\nHost: x\r\n\r\n');
      for (let i = 0; i < 500 && stopping.heldCount() === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const stopped = stopping.shutdown();
      assert.equal(stopping.release(), 1);
      await closed;
      await stopped;
      assert.match(text, /^HTTP\/1.1 200 OK\r\n/);
      assert.match(text, /Connection: close\r\n/);
      assert.ok(text.endsWith('released'));
    } finally {
      await stopping.close();
    }
  });
});
