import assert from 'node:assert/strict';
import http from 'node:http';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpRequest, startBackend, startFrontend, startRawBackend } from '../../test/helpers/backends.js';
import type { ServersTransport } from '../config/dynamic/index.js';
import { forward } from './forward.js';
import { createUpstreamTarget, sweepUpstreamPools, type UpstreamTarget } from './target.js';

let generation = 3000;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

function targetFor(
  url: string,
  transport: ServersTransport = {},
  name = `flow-${generation}`,
): UpstreamTarget {
  return createUpstreamTarget(
    { url },
    { name, config: transport },
    { passHostHeader: true, generation: generation++ },
  );
}

async function proxyTo(target: UpstreamTarget) {
  const front = await startFrontend((ctx) => forward(ctx, target));
  cleanups.push(front.close);
  return front;
}

async function backend(...args: Parameters<typeof startBackend>) {
  const b = await startBackend(...args);
  cleanups.push(b.close);
  return b;
}

/** Waits until `read()` stops changing (bounded), then returns it. */
async function settled(read: () => number): Promise<number> {
  let last = -1;
  for (let i = 0; i < 50; i++) {
    await sleep(40);
    const now = read();
    if (now === last) return now;
    last = now;
  }
  return read();
}

describe('forward: Expect: 100-continue', () => {
  it('relays the server 100 Continue to the client, then the body', async () => {
    const b = await backend((req, res) => req.pipe(res));
    const front = await proxyTo(targetFor(b.url));
    let continued = false;
    const body = await new Promise<string>((resolve, reject) => {
      const req = http.request(front.url, {
        method: 'PUT',
        agent: false,
        headers: { expect: '100-continue', 'content-length': 5 },
      });
      req.on('continue', () => {
        continued = true;
        req.end('hello');
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
    });
    assert.equal(continued, true);
    assert.equal(body, 'hello');
    assert.equal(b.requests[0]!.headers.expect, '100-continue');
  });

  it('forwards a final answer given instead of 100, without the body', async () => {
    const b = await backend();
    b.server.on('checkContinue', (_req, res) => {
      res.writeHead(401, { 'content-length': 0 });
      res.end();
    });
    const front = await proxyTo(targetFor(b.url));
    let continued = false;
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(front.url, {
        method: 'POST',
        agent: false,
        headers: { expect: '100-continue', 'content-length': 5 },
      });
      req.on('continue', () => {
        continued = true;
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
        req.destroy();
      });
      req.on('error', reject);
    });
    assert.equal(status, 401);
    assert.equal(continued, false);
  });
  it('lets the body go after a second when the server never answers the expectation', async () => {
    const raw = await startRawBackend((socket) => {
      let seen = '';
      socket.on('data', (d) => {
        seen += d.toString('latin1');
        if (seen.endsWith('\r\n\r\nhello')) socket.end('HTTP/1.0 200 OK\r\n\r\ngot it');
      });
    });
    cleanups.push(raw.close);
    const front = await proxyTo(targetFor(raw.url));
    const reply = await new Promise<string>((resolve, reject) => {
      const req = http.request(front.url, {
        method: 'POST',
        agent: false,
        headers: { expect: '100-continue', 'content-length': 5 },
      });
      req.on('continue', () => req.end('hello'));
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
    });
    assert.equal(reply, 'got it');
  });
});

describe('forward: backpressure', () => {
  it('holds a large download at the pace of a client that does not read', async () => {
    const total = 256 * 1024 * 1024;
    let pushed = 0;
    const b = await backend((_req, res) => {
      const block = Buffer.alloc(64 * 1024, 1);
      res.writeHead(200, { 'content-length': total });
      const pump = (): void => {
        while (pushed < total) {
          pushed += block.length;
          if (!res.write(block)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const front = await proxyTo(targetFor(b.url));
    const res = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(front.url, { agent: false }, resolve),
    );
    res.pause();
    const held = await settled(() => pushed);
    assert.ok(held < 64 * 1024 * 1024, `the server could push ${held} bytes into a stalled pipe`);
    let received = 0;
    res.on('data', (c: Buffer) => {
      received += c.length;
    });
    res.resume();
    await new Promise((resolve) => res.on('end', resolve));
    assert.equal(received, total);
  });

  it('holds a large upload at the pace of a server that does not read', async () => {
    const total = 256 * 1024 * 1024;
    let release: (() => void) | undefined;
    const b = await backend((req, res) => {
      req.pause();
      release = () => {
        let got = 0;
        req.on('data', (c: Buffer) => {
          got += c.length;
        });
        req.on('end', () => res.end(String(got)));
        req.resume();
      };
    });
    const front = await proxyTo(targetFor(b.url));
    let produced = 0;
    const block = Buffer.alloc(64 * 1024, 2);
    const source = new Readable({
      read() {
        if (produced >= total) return this.push(null);
        produced += block.length;
        this.push(block);
      },
    });
    const reply = httpRequest(front.url, {
      method: 'POST',
      body: source,
      headers: { 'content-length': total },
    });
    while (!release) await sleep(10);
    const held = await settled(() => produced);
    assert.ok(held < 64 * 1024 * 1024, `the client could push ${held} bytes into a stalled pipe`);
    release();
    assert.equal((await reply).body.toString(), String(total));
  });
});

describe('forward: connection pools', () => {
  it('opens a new connection per request when reuse is disabled (maxIdleConnsPerHost < 0)', async () => {
    const b = await backend();
    const front = await proxyTo(targetFor(b.url, { maxIdleConnsPerHost: -1 }));
    for (let i = 0; i < 3; i++) assert.equal((await httpRequest(front.url)).status, 200);
    assert.equal(b.connections, 3);
    assert.equal(b.requests[0]!.headers.connection, 'close');
  });

  it('closes connections idle longer than idleConnTimeout', async () => {
    const b = await backend();
    const target = targetFor(b.url, { forwardingTimeouts: { idleConnTimeout: 100 } });
    const front = await proxyTo(target);
    await httpRequest(front.url);
    assert.equal(target.pool.idleCount, 1);
    for (let i = 0; i < 200 && target.pool.idleCount > 0; i++) await sleep(10);
    assert.equal(target.pool.idleCount, 0);
  });

  it('keeps a warm pool across a reload and closes it once no generation uses it', async () => {
    const b = await backend();
    const first = targetFor(b.url, {}, 'reload-test');
    const front = await proxyTo(first);
    await httpRequest(front.url);
    const next = targetFor(b.url, {}, 'reload-test');
    assert.equal(next.pool, first.pool, 'same transport and origin: same pool');
    sweepUpstreamPools(generation - 1);
    assert.equal(first.pool.closed, false);
    assert.equal(first.pool.idleCount, 1);
    sweepUpstreamPools(generation + 1);
    assert.equal(first.pool.closed, true);
    assert.equal(first.pool.idleCount, 0);
  });
});

describe('forward: a head whose body is slow to come', () => {
  it('reaches the client before the first body byte (long polls, event streams)', async () => {
    let sendBody: (() => void) | undefined;
    const raw = await startRawBackend((socket) => {
      socket.once('data', () => {
        socket.write(
          'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n',
        );
        sendBody = () => socket.end('5\r\nhello\r\n0\r\n\r\n');
      });
    });
    cleanups.push(raw.close);
    const front = await proxyTo(targetFor(raw.url));
    // The server sends its body only once the client has the head: a proxy holding the head would hang.
    const body = await new Promise<string>((resolve, reject) => {
      http
        .get(front.url, { agent: false }, (res) => {
          assert.equal(res.statusCode, 200);
          assert.equal(res.headers['content-type'], 'text/event-stream');
          let text = '';
          res.setEncoding('latin1');
          res.on('data', (c: string) => {
            text += c;
          });
          res.on('end', () => resolve(text));
          sendBody?.();
        })
        .on('error', reject);
    });
    assert.equal(body, 'hello');
  });
});
