import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encodeFlatKeys } from '../../config/codec/index.js';
import type { MergedConfig } from '../../watcher/merge.js';
import { recordingLogger, waitFor } from '../../watcher/test-support.js';
import { Watcher } from '../../watcher/watcher.js';
import type { ProviderSnapshot } from '../contract.js';
import type { KvStore, KvWriter } from './contract.js';
import { KvProvider, type KvProviderOptions } from './kv-provider.js';

/** A real server the suite can stop and start again (same address, same data). */
export interface KvTestServer {
  store(): KvStore;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

type Routers = Record<string, { rule?: string; service?: string }>;
const routersOf = (s: ProviderSnapshot | undefined) =>
  Object.keys(((s?.config as { http?: { routers?: Routers } })?.http?.routers ?? {}) as Routers).sort();

/** A v3 configuration with one service and the given routers, as flat keys under `dir`. */
export function routerKeys(dir: string, routers: string[]): [string, string][] {
  const tree = {
    http: {
      routers: Object.fromEntries(routers.map((r) => [r, { rule: `Path(\`/${r}\`)`, service: 's' }])),
      services: { s: { loadBalancer: { servers: [{ url: 'http://127.0.0.1:1' }] } } },
    },
  };
  return encodeFlatKeys(tree, { separator: '/', prefix: dir });
}

/**
 * The behaviour every key-value provider must have, run against a real server: whole snapshots on every
 * write, the alias switch in one step, the v1 layout, per-element validation, and outages.
 */
export function kvProviderContract(name: string, startServer: () => Promise<KvTestServer>): void {
  describe(`${name}: the key-value provider contract`, () => {
    let server: KvTestServer;
    let writer: KvWriter;
    let n = 0;
    const root = () => `/sy${n++}`;
    before(async () => {
      server = await startServer();
      writer = server.store().writer();
    });
    after(async () => {
      await writer?.close();
      await server?.destroy();
    });

    function run(opts: Partial<KvProviderOptions>) {
      const controller = new AbortController();
      const snapshots: ProviderSnapshot[] = [];
      const provider = new KvProvider(server.store(), {
        rootKey: 'unused',
        logger: recordingLogger().logger,
        retry: { initialMs: 50, maxMs: 200 },
        settleMs: 10,
        ...opts,
      });
      const done = provider.provide((s) => snapshots.push(s), controller.signal);
      return {
        snapshots,
        routers: () => routersOf(snapshots.at(-1)),
        stop: async () => {
          controller.abort();
          await done;
        },
      };
    }

    it('emits the whole configuration, and again after every write and delete', async () => {
      const dir = root();
      await writer.replaceDir(dir, routerKeys(dir, ['a', 'b']));
      const p = run({ rootKey: dir });
      await waitFor(() => p.routers().join() === 'a,b', 10_000);
      await writer.put(`${dir}/http/routers/c/rule`, 'Path(`/c`)');
      await waitFor(() => p.routers().join() === 'a,b,c', 10_000);
      await writer.replaceDir(dir, routerKeys(dir, ['b']));
      await waitFor(() => p.routers().join() === 'b', 10_000);
      assert.deepEqual(p.snapshots.at(-1)!.issues, []);
      await p.stop();
    });

    it('follows an alias: one snapshot per switch, never a mix, and watches the new directory', async () => {
      const base = root();
      await writer.replaceDir(`${base}/v1`, routerKeys(`${base}/v1`, ['old1', 'old2']));
      await writer.replaceDir(`${base}/v2`, routerKeys(`${base}/v2`, ['new1', 'new2', 'new3']));
      await writer.put(`${base}/alias`, `${base}/v1`);
      const p = run({ aliasKey: `${base}/alias` });
      await waitFor(() => p.routers().join() === 'old1,old2', 10_000);
      await writer.put(`${base}/alias`, `${base}/v2/`);
      await waitFor(() => p.routers().join() === 'new1,new2,new3', 10_000);
      for (const s of p.snapshots) {
        assert.ok(['old1,old2', 'new1,new2,new3'].includes(routersOf(s).join()), routersOf(s).join());
      }
      await writer.put(`${base}/v2/http/routers/new4/rule`, 'Path(`/4`)');
      await waitFor(() => p.routers().join() === 'new1,new2,new3,new4', 10_000);
      await p.stop();
    });

    it('reads Traefik v1 keys (frontends and backends) as v3 routers and services', async () => {
      const dir = root();
      await writer.replaceDir(dir, [
        [`${dir}/backends/web/servers/one/url`, 'http://127.0.0.1:8081'],
        [`${dir}/backends/web/servers/one/weight`, '2'],
        [`${dir}/frontends/front/backend`, 'web'],
        [`${dir}/frontends/front/routes/main/rule`, 'Host:example.com'],
      ]);
      const p = run({ rootKey: dir });
      await waitFor(() => p.routers().length > 0, 10_000);
      const http = (p.snapshots.at(-1)!.config as { http: Record<string, Record<string, unknown>> }).http;
      assert.deepEqual(Object.keys(http.routers!), ['front']);
      assert.deepEqual(Object.keys(http.services!), ['web']);
      await p.stop();
    });

    it('disables only the elements that garbage values touch (through the watcher)', async () => {
      const dir = root();
      await writer.replaceDir(dir, [
        ...routerKeys(dir, ['good']),
        [`${dir}/http/routers/good/entryPoints`, 'web,websecure'],
        [`${dir}/http/routers/bad/rule`, 'Path(`/bad`)'],
        [`${dir}/http/routers/bad/service`, 's'],
        [`${dir}/http/routers/bad/priority`, 'not-a-number'],
      ]);
      const controller = new AbortController();
      const seen: MergedConfig[] = [];
      const watcher = new Watcher({
        providers: [new KvProvider(server.store(), { rootKey: dir, logger: recordingLogger().logger })],
        throttleMs: 0,
        logger: recordingLogger().logger,
        onConfig: (m) => seen.push(m),
      });
      const done = watcher.start(controller.signal);
      await waitFor(() => seen.length > 0, 10_000);
      const last = seen.at(-1)!;
      assert.deepEqual(Object.keys(last.config.http.routers), [`good@${name}`]);
      assert.deepEqual(last.config.http.routers[`good@${name}`]?.entryPoints, ['web', 'websecure']);
      assert.ok(last.issues.some((i) => i.element === `http.routers.bad@${name}`));
      controller.abort();
      await done;
    });

    it('starts without the store, keeps the last good configuration through an outage, catches up after', async () => {
      const dir = root();
      await writer.replaceDir(dir, routerKeys(dir, ['a']));
      await server.stop();
      const p = run({ rootKey: dir });
      await waitFor(() => p.snapshots.length > 0, 10_000);
      assert.deepEqual(p.routers(), []);
      assert.match(p.snapshots[0]!.issues[0]!.message, /cannot reach .*retrying/);
      await server.start();
      await waitFor(() => p.routers().join() === 'a', 20_000);
      const count = p.snapshots.length;
      await server.stop();
      await waitFor(() => p.snapshots.length > count && p.snapshots.at(-1)!.issues.length > 0, 20_000);
      for (const s of p.snapshots.slice(count)) assert.deepEqual(routersOf(s), ['a']);
      await server.start();
      const fresh = server.store().writer();
      await fresh.put(`${dir}/http/routers/z/rule`, 'Path(`/z`)');
      await fresh.close();
      await waitFor(() => p.routers().join() === 'a,z' && p.snapshots.at(-1)!.issues.length === 0, 20_000);
      await p.stop();
    });
  });
}
