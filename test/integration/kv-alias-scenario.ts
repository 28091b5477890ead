import assert from 'node:assert/strict';
import http from 'node:http';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { runKv } from '../../src/cli/kv.js';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { eventually, request, whoamiName } from '../helpers/http.js';

/** How long the store stays down under load (the acceptance scenario's outage). */
const OUTAGE_MS = 10_000;

/** A real store server the scenario can stop and start again (same port, same data). */
export interface ScenarioServer {
  endpoint: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** Requests in a loop through one instance until stopped (bounded in count), counting failures. */
function loadLoop(sy: Running) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const stats = { ok: 0, failed: [] as string[] };
  let running = true;
  const done = (async () => {
    for (let i = 0; running && i < 100_000; i++) {
      try {
        const res = await request(sy.url('web', '/'), { agent });
        if (res.status === 200) stats.ok++;
        else stats.failed.push(`${res.status} ${res.body.slice(0, 80)}`);
      } catch (err) {
        stats.failed.push(String(err));
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  return {
    stats,
    stop: async () => {
      running = false;
      await done;
      agent.destroy();
    },
  };
}

/** `switchyard kv …` in process; fails the test when it fails. */
async function kv(store: string, endpoint: string, ...args: string[]): Promise<void> {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, cb) {
      text += chunk;
      cb();
    },
  });
  const code = await runKv([args[0]!, '--store', store, '--endpoints', endpoint, ...args.slice(1)], out);
  assert.equal(code, 0, text);
}

/** Adds the instance's log to a failure. */
async function explain(sy: Running, step: Promise<void>): Promise<void> {
  try {
    await step;
  } catch (err) {
    throw new Error(`${String(err)}\n${sy.output().split('\n').slice(-40).join('\n')}`);
  }
}

const config = (routers: Record<string, [string, number]>) => {
  let out = 'http:\n  routers:\n';
  for (const [name, [rule, port]] of Object.entries(routers)) {
    // The catch-all gets the lowest priority (by default a longer rule wins, as in Traefik).
    const priority = rule === 'PathPrefix(`/`)' ? '      priority: 1\n' : '';
    out += `    ${name}:\n      rule: "${rule}"\n      service: s${port}\n${priority}`;
  }
  out += '  services:\n';
  for (const port of new Set(Object.values(routers).map(([, p]) => p))) {
    out += `    s${port}:\n      loadBalancer:\n        servers:\n          - url: "http://127.0.0.1:${port}"\n`;
  }
  return out;
};

/**
 * The multi-cluster acceptance scenario on one store: three instances (dev ×2, qas ×1) under continuous
 * load; dev publishes v2 and flips its alias → both dev instances serve v2, qas stays on v1, no request
 * fails; the store stops under load (no request fails) and restarts; a later change applies.
 */
export function aliasScenario(
  store: 'etcd' | 'redis' | 'zookeeper',
  startServer: () => Promise<ScenarioServer>,
) {
  describe(`${store}: clusters switching independently through their alias keys`, () => {
    let server: ScenarioServer;
    let v1: WhoamiServer;
    let v2: WhoamiServer;
    let extra: WhoamiServer;
    const instances: Running[] = [];
    const dir = tempDir('switchyard-kv-');

    before(async () => {
      server = await startServer();
      v1 = await startWhoami({ name: 'v1' });
      v2 = await startWhoami({ name: 'v2' });
      extra = await startWhoami({ name: 'extra' });
    });
    after(async () => {
      for (const sy of instances) await sy.stop();
      await v1?.close();
      await v2?.close();
      await extra?.close();
      await server?.destroy();
    });

    it('flips dev to v2 on both dev instances, leaves qas alone, survives an outage, zero failed requests', async () => {
      const e = server.endpoint;
      const v1File = writeFile(dir, 'v1.yml', config({ app: ['PathPrefix(`/`)', v1.port] }));
      const v2File = writeFile(
        dir,
        'v2.yml',
        config({ app: ['PathPrefix(`/`)', v2.port], fresh: ['Path(`/new`)', extra.port] }),
      );
      await kv(store, e, 'put', '--prefix', '/traefik/dev/v1', '--file', v1File);
      await kv(store, e, 'put', '--prefix', '/traefik/qas/v1', '--file', v1File);
      await kv(store, e, 'alias', '--key', '/traefik/dev/alias', '--value', '/traefik/dev/v1');
      await kv(store, e, 'alias', '--key', '/traefik/qas/alias', '--value', '/traefik/qas/v1');
      const flag = store === 'zookeeper' ? 'zooKeeper' : store;
      for (const cluster of ['dev', 'dev', 'qas']) {
        instances.push(
          await startSwitchyard([
            '--entryPoints.web.address=127.0.0.1:0',
            '--providers.providersThrottleDuration=100ms',
            `--providers.${flag}.endpoints=${e}`,
            `--providers.${flag}.aliasKey=/traefik/${cluster}/alias`,
          ]),
        );
      }
      const [dev1, dev2, qas] = instances as [Running, Running, Running];
      const nameAt = async (sy: Running, path: string) => {
        const res = await request(sy.url('web', path));
        return res.status === 200 ? whoamiName(res.body) : `status ${res.status}`;
      };
      for (const sy of instances) await eventually(async () => (await nameAt(sy, '/')) === 'v1');
      const loops = instances.map(loadLoop);
      try {
        await flipAndOutage();
      } finally {
        for (const l of loops) await l.stop();
      }
      for (const [i, l] of loops.entries()) {
        assert.deepEqual(l.stats.failed, [], `instance ${i}: failed requests`);
        assert.ok(l.stats.ok > 0);
      }

      async function flipAndOutage(): Promise<void> {
        await kv(store, e, 'put', '--prefix', '/traefik/dev/v2', '--file', v2File);
        await kv(store, e, 'alias', '--key', '/traefik/dev/alias', '--value', '/traefik/dev/v2');
        for (const sy of [dev1, dev2]) {
          await eventually(
            async () => (await nameAt(sy, '/')) === 'v2' && (await nameAt(sy, '/new')) === 'extra',
          );
        }
        assert.equal(await nameAt(qas, '/'), 'v1');
        assert.equal(await nameAt(qas, '/new'), 'v1', 'qas has no /new router: PathPrefix(`/`) answers');

        await server.stop();
        // Every instance sees the store go away (else the outage would prove nothing)…
        for (const sy of instances) await explain(sy, sy.waitFor(/the store is unreachable/, 30_000).then());
        // …then the store stays down for OUTAGE_MS under load (the scenario's own duration, not a wait for
        // readiness), and every instance keeps serving from its last good configuration meanwhile.
        const down = Date.now();
        const during = loops.map((l) => l.stats.ok);
        await eventually(
          () => Date.now() - down >= OUTAGE_MS && loops.every((l, i) => l.stats.ok > during[i]! + 50),
          OUTAGE_MS + 30_000,
          200,
        );
        await server.start();
        const later = writeFile(
          dir,
          'v3.yml',
          config({ app: ['PathPrefix(`/`)', v2.port], later: ['Path(`/later`)', extra.port] }),
        );
        // The store may need a moment after its restart: retry the publication until it is accepted.
        const args = [
          'put',
          '--store',
          store,
          '--endpoints',
          e,
          '--prefix',
          '/traefik/dev/v2',
          '--file',
          later,
        ];
        const sink = new Writable({ write: (_c, _e, cb) => cb() });
        await eventually(async () => (await runKv(args, sink)) === 0, 30_000);
        for (const sy of [dev1, dev2]) {
          await explain(
            sy,
            eventually(async () => (await nameAt(sy, '/later')) === 'extra', 30_000),
          );
        }
        assert.equal(await nameAt(qas, '/later'), 'v1', 'qas still on its own v1');
      }
    });
  });
}
