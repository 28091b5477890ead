import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { after, describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { refusedUrl, startBackend, startFrontend } from '../../test/helpers/backends.js';
import { forward } from './forward.js';
import { createUpstreamTarget } from './target.js';

let generation = 5000;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

/** A WebSocket echo server; `verify` may refuse the handshake. */
async function wsBackend(verify?: () => boolean) {
  const b = await startBackend((_req, res) => res.end('plain'));
  const handshakes: IncomingHttpHeaders[] = [];
  const closed: number[] = [];
  const wss = new WebSocketServer({ server: b.server, verifyClient: verify ? () => verify() : undefined });
  wss.on('headers', () => {});
  wss.on('connection', (ws, req) => {
    handshakes.push(req.headers);
    ws.on('message', (data, binary) => ws.send(data, { binary }));
    ws.on('close', (code) => closed.push(code));
  });
  cleanups.push(async () => {
    wss.close();
    await b.close();
  });
  return { ...b, handshakes, closed };
}

async function proxyTo(url: string) {
  const target = createUpstreamTarget(
    { url },
    { name: `ws-${generation}`, config: {} },
    { passHostHeader: true, generation: generation++ },
  );
  const front = await startFrontend((ctx) => forward(ctx, target));
  cleanups.push(front.close);
  return front;
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace('http://', 'ws://'));
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
  });
}

function next(ws: WebSocket): Promise<Buffer> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(data as Buffer)));
}

describe('forward: upgrades', () => {
  it('pipes a WebSocket both ways and labels it ws', async () => {
    const b = await wsBackend();
    const front = await proxyTo(b.url);
    const ws = await open(`${front.url}/chat`);
    const reply = next(ws);
    ws.send('hello');
    assert.equal((await reply).toString(), 'hello');
    const big = Buffer.alloc(2 * 1024 * 1024, 9);
    const echoed = next(ws);
    ws.send(big);
    assert.ok((await echoed).equals(big));
    assert.equal(b.handshakes[0]!['x-forwarded-proto'], 'ws');
    assert.equal(b.handshakes[0]!.upgrade, 'websocket');
    ws.close(1000);
    while (b.closed.length === 0) await new Promise((r) => setTimeout(r, 10));
    assert.equal(b.closed[0], 1000);
  });

  it('forwards a refused handshake as a normal response', async () => {
    const b = await wsBackend(() => false);
    const front = await proxyTo(b.url);
    await assert.rejects(open(front.url), /status 401/);
  });

  it('answers 502 when the server cannot be reached', async () => {
    const front = await proxyTo(await refusedUrl());
    await assert.rejects(open(front.url), /status 502/);
    assert.equal(front.contexts[0]!.serverUrl?.startsWith('http://127.0.0.1:'), true);
  });

  it('closes the upstream side when the client disappears', async () => {
    const b = await wsBackend();
    const front = await proxyTo(b.url);
    const ws = await open(front.url);
    ws.terminate();
    while (b.closed.length === 0) await new Promise((r) => setTimeout(r, 10));
    assert.equal(b.closed[0], 1006);
  });
});
