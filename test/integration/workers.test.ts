import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Backend, startBackend } from '../helpers/backends.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { eventually, request, whoamiName } from '../helpers/http.js';

function dynamicConfig(extra: number, ports: number[], slow: string): string {
  let out = 'http:\n  routers:\n';
  out += '    main:\n      rule: "Host(`w.test`)"\n      service: svc\n';
  out += '    slow:\n      rule: "Host(`slow.test`)"\n      service: slow\n';
  for (let i = 0; i < extra; i++)
    out += `    extra${i}:\n      rule: "Host(\`x${i}.test\`)"\n      service: svc\n`;
  out += '  services:\n    slow:\n      loadBalancer:\n        servers:\n';
  out += `          - url: "${slow}"\n`;
  out += '    svc:\n      loadBalancer:\n        sticky:\n          cookie: {}\n        servers:\n';
  for (const p of ports) out += `          - url: "http://127.0.0.1:${p}"\n`;
  return out;
}

/** Worker process ids, from their log lines. */
function workerPids(sy: Running): Set<number> {
  const pids = new Set<number>();
  for (const m of sy.output().matchAll(/entrypoint listening worker=\d+ pid=(\d+)/g)) pids.add(Number(m[1]));
  return pids;
}

describe('two worker processes', () => {
  let a: WhoamiServer;
  let b: WhoamiServer;
  let slow: Backend;
  const held: ServerResponse[] = [];
  let sy: Running;
  let dir: string;

  before(async () => {
    a = await startWhoami({ name: 'a' });
    b = await startWhoami({ name: 'b' });
    slow = await startBackend((_req, res) => {
      held.push(res);
    });
    dir = tempDir();
    writeFile(dir, 'dynamic.yml', dynamicConfig(0, [a.port, b.port], slow.url));
    sy = await startSwitchyard(
      [
        '--workers=2',
        '--entryPoints.web.address=127.0.0.1:0',
        `--providers.file.directory=${dir}`,
        '--providers.providersThrottleDuration=20ms',
        '--api.insecure',
        '--entryPoints.traefik.address=127.0.0.1:0',
        '--metrics.prometheus',
      ],
      { expectEntryPoints: ['web', 'traefik'], startMs: 60_000 },
    );
    await sy.waitFor(/configuration applied.*generation=2\b.*workers=2/, 60_000);
  });

  after(async () => {
    await sy?.stop();
    await a?.close();
    await b?.close();
    await slow?.close();
  });

  it('serves with one entrypoint port and counts requests of every worker in /api/stats and metrics', async () => {
    assert.equal(workerPids(sy).size, 2);
    for (let i = 0; i < 10; i++) {
      const res = await request(sy.url('web', '/'), { headers: { host: 'w.test' } });
      assert.equal(res.status, 200);
    }
    // Each API request may land on either worker: both must answer the instance's sum.
    for (let i = 0; i < 2; i++) {
      const stats = JSON.parse((await request(sy.url('traefik', '/api/stats'))).body);
      assert.equal(stats.routers['main@file'].requests, 10);
    }
    const metrics = (await request(sy.url('traefik', '/metrics'))).body;
    const line = metrics
      .split('\n')
      .find((l) => l.startsWith('traefik_service_requests_total{code="200"') && l.includes('svc@file'));
    assert.ok(line, metrics);
    assert.equal(Number(line.split(' ').pop()), 10);
  });

  it('keeps a sticky client on one server whichever worker takes its connection', async () => {
    const first = await request(sy.url('web', '/'), { headers: { host: 'w.test' } });
    const cookie = String(first.headers['set-cookie']?.[0]).split(';')[0]!;
    const name = whoamiName(first.body);
    for (let i = 0; i < 6; i++) {
      const res = await request(sy.url('web', '/'), { headers: { host: 'w.test', cookie } });
      assert.equal(whoamiName(res.body), name);
    }
  });

  it('applies several reloads under load without failing one request', async () => {
    const failures: string[] = [];
    let ok = 0;
    let stop = false;
    const deadline = Date.now() + 60_000;
    const loop = async () => {
      for (let i = 0; i < 2_000 && !stop && Date.now() < deadline; i++) {
        try {
          const res = await request(sy.url('web', '/'), { headers: { host: 'w.test' } });
          if (res.status === 200) ok++;
          else failures.push(`status ${res.status}: ${res.body}`);
        } catch (err) {
          failures.push(String(err));
        }
      }
    };
    const loops = Array.from({ length: 4 }, loop);
    for (let gen = 3; gen <= 7; gen++) {
      const ports = gen % 2 === 0 ? [a.port, b.port] : [b.port];
      writeFile(dir, 'dynamic.yml', dynamicConfig(gen * 20, ports, slow.url));
      await sy.waitFor(new RegExp(`configuration applied.*generation=${gen}\\b`), 30_000);
    }
    stop = true;
    await Promise.all(loops);
    assert.deepEqual(failures, []);
    assert.ok(ok > 0);
  });

  it('replaces a worker killed by its pid; requests held by the other worker complete', async () => {
    const before = workerPids(sy);
    // Four held requests on four connections: the two workers each hold some.
    const pending = Array.from({ length: 4 }, () =>
      request(sy.url('web', '/'), { headers: { host: 'slow.test' } }).then(
        (r) => r.status,
        () => 0,
      ),
    );
    await eventually(() => held.length === 4);
    const victim = [...before][0]!;
    process.kill(victim, 'SIGKILL');
    await sy.waitFor(/worker exited; starting another/);
    for (const res of held.splice(0)) res.end('done');
    const statuses = await Promise.all(pending);
    const done = statuses.filter((s) => s === 200).length;
    assert.ok(done >= 1 && done <= 3, `held requests answered: ${statuses}`);
    assert.ok(
      statuses.every((s) => s === 200 || s === 0),
      `${statuses}`,
    );
    await eventually(() => workerPids(sy).size === 3);
    await sy.waitFor(/configuration applied.*workers=2/);
    for (let i = 0; i < 6; i++) {
      assert.equal((await request(sy.url('web', '/'), { headers: { host: 'w.test' } })).status, 200);
    }
  });

  it('drains every worker on SIGTERM: in-flight requests complete, then the instance exits 0', async () => {
    const pending = Array.from({ length: 4 }, () =>
      request(sy.url('web', '/'), { headers: { host: 'slow.test' } }).then((r) => r.status),
    );
    await eventually(() => held.length === 4);
    sy.proc.kill('SIGTERM');
    await eventually(
      () => (sy.output().match(/shutting down: draining entrypoints worker=/g) ?? []).length >= 2,
    );
    for (const res of held.splice(0)) res.end('done');
    assert.deepEqual(await Promise.all(pending), [200, 200, 200, 200]);
    assert.equal(await sy.stop(), 0);
  });
});
