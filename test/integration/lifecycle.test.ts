import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { request } from '../helpers/http.js';
import { exchangeBytes } from './tcp-fixture.js';

/**
 * What the server answers to `data` on a fresh connection (bounded). It may reset a connection whose
 * request it refused while we are still sending it: what it answered before counts.
 */
const rawExchange = async (port: number, data: string) => (await exchangeBytes(port, data)).data.toString();

describe('entrypoint lifecycle', () => {
  let backend: WhoamiServer;
  let dynamic: string;

  before(async () => {
    backend = await startWhoami({ name: 'slow' });
    dynamic = writeFile(
      tempDir(),
      'dynamic.yml',
      `http:\n  routers:\n    r:\n      rule: "PathPrefix(\`/\`)"\n      entryPoints: [web]\n      service: s\n  services:\n    s:\n      loadBalancer:\n        servers:\n          - url: "http://127.0.0.1:${backend.port}"\n`,
    );
  });
  after(async () => {
    await backend?.close();
  });

  const start = (extra: string[] = []) =>
    startSwitchyard(
      [
        '--entryPoints.web.address=127.0.0.1:0',
        '--entryPoints.traefik.address=127.0.0.1:0',
        `--providers.file.filename=${dynamic}`,
        '--ping',
        ...extra,
      ],
      { expectEntryPoints: ['web', 'traefik'] },
    ).then(async (sy) => {
      await sy.waitFor(/configuration applied.*generation=2/);
      return sy;
    });

  it('drains on SIGTERM: in-flight requests finish, /ping answers 503, then it exits 0', async () => {
    const sy: Running = await start([
      '--entryPoints.web.transport.lifeCycle.requestAcceptGraceTimeout=1s',
      '--entryPoints.traefik.transport.lifeCycle.requestAcceptGraceTimeout=1s',
    ]);
    const arrived = once(backend.server, 'request');
    const inFlight = request(sy.url('web', '/?wait=1500ms'));
    await arrived; // the request is in flight at the backend when the signal comes
    const exited = sy.stop('SIGTERM');
    await sy.waitFor(/signal received/);
    const ping = await request(sy.url('traefik', '/ping'));
    assert.equal(ping.status, 503);
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.match(res.body, /Name: slow/);
    assert.equal(await exited, 0);
  });

  it('answers a malformed request with 400 and keeps serving', async () => {
    const sy = await start();
    try {
      const port = sy.ports.get('web')!;
      const bad = await rawExchange(port, 'GARBAGE\r\n\r\n');
      assert.match(bad, /^HTTP\/1\.1 400 /);
      const huge = await rawExchange(
        port,
        `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(2_000_000)}\r\n\r\n`,
      );
      assert.match(huge, /^HTTP\/1\.1 431 /);
      const ok = await request(sy.url('web', '/'));
      assert.equal(ok.status, 200);
    } finally {
      await sy.stop();
    }
  });

  it('maps a dead backend to 502 and a missing one to 503', async () => {
    const dead = await startWhoami();
    const deadPort = dead.port;
    await dead.close();
    const file = writeFile(
      tempDir(),
      'dynamic.yml',
      `http:\n  routers:\n    dead:\n      rule: "Path(\`/dead\`)"\n      service: dead\n    empty:\n      rule: "Path(\`/empty\`)"\n      service: empty\n  services:\n    dead:\n      loadBalancer:\n        servers:\n          - url: "http://127.0.0.1:${deadPort}"\n    empty:\n      loadBalancer:\n        servers: []\n`,
    );
    const sy = await startSwitchyard([
      '--entryPoints.web.address=127.0.0.1:0',
      `--providers.file.filename=${file}`,
    ]);
    try {
      await sy.waitFor(/configuration applied.*generation=2/);
      const dead502 = await request(sy.url('web', '/dead'));
      assert.equal(dead502.status, 502);
      const none = await request(sy.url('web', '/empty'));
      assert.equal(none.status, 503);
      assert.match(none.body, /no available server/);
    } finally {
      await sy.stop();
    }
  });
});
