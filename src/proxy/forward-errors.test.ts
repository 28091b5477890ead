import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  httpRequest,
  refusedUrl,
  startBackend,
  startBlackholeBackend,
  startClosingBackend,
  startFrontend,
  startRawBackend,
  startResettingBackend,
  startSlowBackend,
} from '../../test/helpers/backends.js';
import type { ServersTransport } from '../config/dynamic/index.js';
import { forward } from './forward.js';
import { createUpstreamTarget, type UpstreamTarget } from './target.js';

let generation = 2000;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

function targetFor(url: string, transport: ServersTransport = {}): UpstreamTarget {
  return createUpstreamTarget(
    { url },
    { name: `errors-${generation}`, config: transport },
    { passHostHeader: true, generation: generation++ },
  );
}

async function proxyTo(target: UpstreamTarget) {
  const front = await startFrontend((ctx) => forward(ctx, target));
  cleanups.push(front.close);
  return front;
}

function track<T extends { close(): Promise<void> }>(b: T): T {
  cleanups.push(() => b.close());
  return b;
}

/** Resolves with the client-side error of a response cut mid-body; `onHead` runs when its head arrives. */
function expectCut(url: string, onHead?: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      onHead?.();
      res.on('data', () => {});
      res.on('end', () => reject(new Error('response ended cleanly')));
      res.on('error', (err) => resolve(err.message));
      res.on('aborted', () => resolve('aborted'));
    });
    req.on('error', (err) => resolve(err.message));
  });
}

describe('forward: failures', () => {
  it('answers 502 Bad Gateway when the server refuses the connection', async () => {
    const front = await proxyTo(targetFor(await refusedUrl()));
    const reply = await httpRequest(front.url);
    assert.equal(reply.status, 502);
    assert.equal(reply.body.toString(), 'Bad Gateway');
  });

  it('answers 504 Gateway Timeout after responseHeaderTimeout', async () => {
    const slow = track(await startSlowBackend(2_000));
    const front = await proxyTo(targetFor(slow.url, { forwardingTimeouts: { responseHeaderTimeout: 50 } }));
    const reply = await httpRequest(front.url);
    assert.equal(reply.status, 504);
    assert.equal(reply.body.toString(), 'Gateway Timeout');
  });

  it('answers 504 Gateway Timeout after dialTimeout', async () => {
    const hole = track(await startBlackholeBackend());
    const front = await proxyTo(targetFor(hole.url, { forwardingTimeouts: { dialTimeout: 100 } }));
    const reply = await httpRequest(front.url);
    assert.equal(reply.status, 504);
  });

  it('aborts the upstream request when the client leaves first and records 499', async () => {
    const slow = track(await startSlowBackend(5_000));
    const front = await proxyTo(targetFor(slow.url));
    const req = http.get(front.url, { agent: false });
    req.on('error', () => {});
    while (slow.requests.length === 0) await sleep(10);
    req.destroy();
    while (slow.aborted.length === 0) await sleep(10);
    assert.equal(front.contexts[0]!.abortedStatus, 499);
  });

  it('replays an idempotent request once when a reused connection turns out dead', async () => {
    let connection = 0;
    const raw = track(
      await startRawBackend((socket) => {
        const id = ++connection;
        let served = 0;
        socket.on('data', () => {
          served++;
          // The first connection serves one request, then dies on the next one without answering.
          if (id === 1 && served === 2) socket.destroy();
          else socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n${id}${served}`);
        });
      }),
    );
    const front = await proxyTo(targetFor(raw.url));
    assert.equal((await httpRequest(front.url)).body.toString(), '11');
    const replayed = await httpRequest(front.url);
    assert.equal(replayed.status, 200);
    assert.equal(replayed.body.toString(), '21');
  });

  it('does not replay a POST: 502 instead', async () => {
    let connection = 0;
    const raw = track(
      await startRawBackend((socket) => {
        const id = ++connection;
        socket.on('data', () => {
          if (id === 1 && socket.bytesWritten > 0) socket.destroy();
          else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
        });
      }),
    );
    const front = await proxyTo(targetFor(raw.url));
    assert.equal((await httpRequest(front.url)).status, 200);
    const post = await httpRequest(front.url, {
      method: 'POST',
      body: 'x',
      headers: { 'content-length': 1 },
    });
    assert.equal(post.status, 502);
  });

  it('drops idle connections the server closed, so the next GET is fine', async () => {
    const b = track(await startBackend(undefined, { keepAliveTimeout: 50 }));
    const target = targetFor(b.url);
    const front = await proxyTo(target);
    assert.equal((await httpRequest(front.url)).status, 200);
    // The server closes the idle connection; the pool notices without any request.
    for (let i = 0; i < 300 && target.pool.idleCount > 0; i++) await sleep(10);
    assert.equal(target.pool.idleCount, 0);
    assert.equal((await httpRequest(front.url)).status, 200);
    assert.equal(b.connections, 2);
  });

  it('cuts the downstream connection when the server resets mid-response', async () => {
    const resetting = track(await startResettingBackend());
    const front = await proxyTo(targetFor(resetting.url));
    assert.ok(await expectCut(front.url, resetting.reset));
  });

  it('answers 502 when the server closes right after a head that promised a body', async () => {
    const front = await proxyTo(targetFor(track(await startClosingBackend()).url));
    const reply = await httpRequest(front.url);
    assert.equal(reply.status, 502);
    assert.equal(reply.body.toString(), 'Bad Gateway');
  });

  it('answers 502 for a malformed response, an unexpected 101 or a bad header value', async () => {
    const raw = track(
      await startRawBackend((socket: net.Socket) => {
        socket.once('data', (d) => {
          const path = d.toString('latin1').split(' ')[1];
          if (path === '/garbage') socket.end('SSH-2.0-nope\r\n\r\n');
          else if (path === '/101') socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n');
          else socket.end('HTTP/1.1 200 OK\r\nX-Bad: a\x7fb\r\nX-Good: g\r\nContent-Length: 2\r\n\r\nok');
        });
      }),
    );
    const front = await proxyTo(targetFor(raw.url));
    assert.equal((await httpRequest(`${front.url}/garbage`)).status, 502);
    assert.equal((await httpRequest(`${front.url}/101`)).status, 502);
    assert.equal((await httpRequest(`${front.url}/bad-header`)).status, 502);
  });

  it('answers 502 when a response body was promised but the server went away before the head', async () => {
    const raw = track(
      await startRawBackend((socket) => socket.once('data', () => socket.end('HTTP/1.1 200'))),
    );
    const front = await proxyTo(targetFor(raw.url));
    assert.equal((await httpRequest(front.url)).status, 502);
  });
});
