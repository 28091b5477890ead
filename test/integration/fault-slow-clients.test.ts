import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import type { Running } from '../helpers/cli.js';
import { startProxyTo } from '../helpers/fault-proxy.js';
import { eventually, request } from '../helpers/http.js';
import { fdCount, MiB, rssBytes } from '../helpers/proc-stats.js';

/** A raw client connection that records what it receives and when it closes. */
function rawClient(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  const state = { received: Buffer.alloc(0), closed: false, bytes: 0 };
  socket.on('data', (c: Buffer) => {
    state.bytes += c.length;
    if (state.received.length < 4096) state.received = Buffer.concat([state.received, c]);
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    state.closed = true;
  });
  return { socket, state };
}

/** Writes `text` one byte every `everyMs` until done or the connection closes; bounded by the text length. */
async function trickle(socket: net.Socket, text: string, everyMs: number, isClosed: () => boolean) {
  let sent = 0;
  for (const ch of text) {
    if (isClosed() || socket.destroyed) break;
    socket.write(ch);
    sent++;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return sent;
}

describe('slow clients: closed per readTimeout / writeTimeout / idleTimeout, memory bounded', () => {
  let backend: WhoamiServer;
  let sy: Running;
  let port: number;
  let pid: number;

  before(async () => {
    backend = await startWhoami({ name: 'slow-clients' });
    sy = await startProxyTo(backend.port, [
      '--entryPoints.web.transport.respondingTimeouts.readTimeout=2s',
      '--entryPoints.web.transport.respondingTimeouts.writeTimeout=3s',
      '--entryPoints.web.transport.respondingTimeouts.idleTimeout=2s',
    ]);
    port = sy.ports.get('web')!;
    pid = sy.proc.pid!;
    assert.equal((await request(sy.url('web', '/'))).status, 200);
  });
  after(async () => {
    await sy?.stop();
    await backend?.close();
  });

  it('slowloris (a header byte every 300 ms) is answered 408 and closed before its head is complete', async () => {
    let arrivedBefore = 0;
    backend.server.on('request', () => arrivedBefore++);
    const { socket, state } = rawClient(port);
    const head = `GET / HTTP/1.1\r\nHost: a\r\n${'X-Slow: 1\r\n'.repeat(20)}\r\n`; // 70 s at this pace
    await trickle(socket, head, 300, () => state.closed);
    assert.ok(state.closed, 'the connection is still open after the whole head was trickled');
    assert.match(state.received.toString(), /^HTTP\/1\.1 408 /);
    assert.equal(arrivedBefore, 0, 'the backend received a request');
  });

  it('a slow body (a byte every 300 ms) is cut at readTimeout', async () => {
    const { socket, state } = rawClient(port);
    socket.write('POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 200\r\n\r\n');
    const sent = await trickle(socket, 'x'.repeat(200), 300, () => state.closed); // 60 s at this pace
    assert.ok(state.closed, 'the connection is still open after the whole body was trickled');
    // (The backend may answer before the body is complete, as whoami does: the cut still comes.)
    assert.ok(sent < 200, 'the whole body was accepted');
  });

  it('an idle keep-alive connection is closed at idleTimeout', async () => {
    const { socket, state } = rawClient(port);
    socket.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    await eventually(() => /^HTTP\/1\.1 200 /.test(state.received.toString()));
    await eventually(() => state.closed, 15_000);
  });

  it('clients that never read a 50 MB response: cut at writeTimeout, RSS bounded', async (t) => {
    const baseline = rssBytes(pid);
    const fdsBefore = fdCount(pid);
    const clients = Array.from({ length: 4 }, () => {
      const c = rawClient(port);
      c.socket.write('GET /data?size=50&unit=MB HTTP/1.1\r\nHost: a\r\n\r\n');
      c.socket.pause(); // never reads: the kernel buffers fill, then the proxy must stop reading the backend
      return c;
    });
    let peak = baseline;
    // The proxy accepts them (a client and an upstream socket each), then closes its side at writeTimeout:
    // both sockets leave its fd table (an upstream connection may stay pooled).
    await eventually(() => fdCount(pid) >= fdsBefore + clients.length);
    await eventually(() => {
      peak = Math.max(peak, rssBytes(pid));
      return fdCount(pid) <= fdsBefore + 1;
    }, 20_000);
    for (const c of clients) c.socket.resume();
    await eventually(() => clients.every((c) => c.state.closed), 15_000);
    for (const c of clients)
      assert.ok(c.state.bytes < 50 * MiB, `a client got ${c.state.bytes} bytes: not cut`);
    t.diagnostic(
      `RSS ${(baseline / MiB).toFixed(1)} MiB before, peak ${(peak / MiB).toFixed(1)} MiB with 4 stalled 50 MB responses`,
    );
    // Generous: 4 × 50 MB buffered would be +200 MiB.
    assert.ok(peak - baseline < 64 * MiB, `RSS grew by ${((peak - baseline) / MiB).toFixed(1)} MiB`);
    assert.equal((await request(sy.url('web', '/'))).status, 200);
  });
});
