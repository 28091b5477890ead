import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import type { Running } from '../helpers/cli.js';
import { startProxyTo } from '../helpers/fault-proxy.js';
import { eventually, request } from '../helpers/http.js';
import { fdCount, MiB, rssBytes } from '../helpers/proc-stats.js';

const IDLE = 2000;

/** Opens `n` TCP connections to `port` that send nothing (in batches, so the backlog is never the limit). */
async function openIdle(port: number, n: number): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  for (let i = 0; i < n; i += 200) {
    const batch = Array.from(
      { length: Math.min(200, n - i) },
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1', () => resolve(s));
          s.once('error', reject);
        }),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  for (const s of sockets) s.on('error', () => {});
  return sockets;
}

describe(`${IDLE} idle connections at once, then released`, () => {
  let backend: WhoamiServer;
  let sy: Running;

  before(async () => {
    backend = await startWhoami({ name: 'idle' });
    sy = await startProxyTo(backend.port);
  });
  after(async () => {
    await sy?.stop();
    await backend?.close();
  });

  it('file descriptors return to the baseline and RSS stays near it', async (t) => {
    const pid = sy.proc.pid!;
    // Warm up (first request, pools, JIT) before the baseline.
    for (let i = 0; i < 20; i++) assert.equal((await request(sy.url('web', '/'))).status, 200);
    const fds = fdCount(pid);
    const rss = rssBytes(pid);
    const sockets = await openIdle(sy.ports.get('web')!, IDLE);
    // (The baseline may still count a warm-up connection or two that the proxy was closing.)
    await eventually(() => fdCount(pid) >= fds + IDLE - 10, 30_000);
    const rssHeld = rssBytes(pid);
    // Still serving while they are held.
    assert.equal((await request(sy.url('web', '/'))).status, 200);
    for (const s of sockets) s.destroy();
    await eventually(() => fdCount(pid) <= fds + 2, 30_000);
    const rssAfter = rssBytes(pid);
    t.diagnostic(
      `fds ${fds} → ${fds + IDLE}+ → ${fdCount(pid)}; RSS ${(rss / MiB).toFixed(1)} → ${(rssHeld / MiB).toFixed(1)} (held) → ${(rssAfter / MiB).toFixed(1)} MiB`,
    );
    // Generous bounds (a leak of a few KiB per connection would show as tens of MiB): memory, not time.
    assert.ok(
      rssHeld - rss < 64 * MiB,
      `holding ${IDLE} connections cost ${((rssHeld - rss) / MiB).toFixed(1)} MiB`,
    );
    assert.ok(
      rssAfter - rss < 32 * MiB,
      `after release RSS is ${((rssAfter - rss) / MiB).toFixed(1)} MiB above`,
    );
    assert.equal((await request(sy.url('web', '/'))).status, 200);
  });
});
