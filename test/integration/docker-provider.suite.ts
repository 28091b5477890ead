import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ProviderSnapshot } from '../../src/providers/contract.js';
import { DockerProvider, type DockerProviderOptions } from '../../src/providers/docker/index.js';
import { recordingLogger } from '../../src/watcher/test-support.js';
import { eventually } from '../helpers/http.js';
import {
  ensureTestImage,
  type PodmanService,
  podman,
  removeContainers,
  runContainer,
  runLabel,
  startPodmanService,
} from '../helpers/podman.js';

// biome-ignore lint/suspicious/noExplicitAny: reading raw snapshot trees
type Any = any;

const run = runLabel();
const names: string[] = [];
const label = { [run.key]: run.value };
const name = (n: string) => {
  const full = `sy-prov-${run.value}-${n}`;
  names.push(full);
  return full;
};

let service: PodmanService;

function start(opts: Partial<DockerProviderOptions> = {}) {
  const controller = new AbortController();
  const snapshots: ProviderSnapshot[] = [];
  const provider = new DockerProvider({
    endpoint: service.endpoint,
    constraints: run.constraint,
    logger: recordingLogger().logger,
    retryMinMs: 50,
    retryMaxMs: 200,
    ...opts,
  });
  const done = provider.provide((s) => snapshots.push(s), controller.signal);
  const last = () => snapshots.at(-1) as { config: Any; issues: { message: string }[] } | undefined;
  const routers = () => Object.keys(last()?.config?.http?.routers ?? {}).sort();
  const servers = (svc: string) => {
    const service = last()?.config?.http?.services?.[svc] ?? {};
    const lb = service.loadBalancer ?? service.loadbalancer ?? {}; // labels keep their spelling
    return (lb.servers ?? []).map((s: Any) => s.url as string);
  };
  const stop = async () => {
    controller.abort();
    await done;
  };
  return { snapshots, last, routers, servers, stop, done };
}

describe('docker provider against podman', { timeout: 120_000 }, () => {
  before(async () => {
    await ensureTestImage();
    service = await startPodmanService();
  });
  after(async () => {
    await removeContainers(names);
    await service?.stop();
  });

  it('follows containers as they start, stop, come back and are removed', async () => {
    const a = name('a');
    const b = name('b');
    const rule = { 'traefik.http.routers.web.rule': 'Host(`web.localhost`)' };
    const shared = { ...label, ...rule, 'traefik.http.services.web.loadbalancer.server.port': '80' };
    await runContainer(a, shared);
    const p = start();
    await eventually(() => p.servers('web').length === 1);
    assert.deepEqual(p.routers(), ['web']);
    assert.match(p.servers('web')[0]!, /^http:\/\/\d+\.\d+\.\d+\.\d+:80$/);
    await runContainer(b, shared);
    await eventually(() => p.servers('web').length === 2);
    await podman(['stop', '-t', '1', a]);
    await eventually(() => p.servers('web').length === 1);
    await podman(['start', a]);
    await eventually(() => p.servers('web').length === 2);
    await podman(['rm', '-f', '-t', '0', a, b]);
    await eventually(() => p.routers().length === 0);
    assert.deepEqual(p.last()!.issues, []);
    await p.stop();
  });

  it('routes a container only while its health check passes', async () => {
    const c = name('health');
    await runContainer(c, label, ['--health-cmd', 'test -f /www/ok', '--health-retries', '1']);
    const p = start();
    await eventually(() => p.snapshots.length > 0);
    assert.deepEqual(p.routers(), [], 'starting: not routed');
    await podman(['exec', c, 'touch', '/www/ok']);
    await podman(['healthcheck', 'run', c]);
    await eventually(() => p.routers().length === 1);
    await podman(['exec', c, 'rm', '/www/ok']);
    await podman(['healthcheck', 'run', c]).catch(() => undefined); // exits 1: unhealthy
    await eventually(() => p.routers().length === 0);
    await p.stop();
    await removeContainers([c]);
  });

  it('keeps the last configuration while the engine is away and reconnects', async () => {
    const c = name('stay');
    await runContainer(c, label);
    const p = start();
    await eventually(() => p.routers().length === 1);
    await service.restart(); // the stream breaks; the provider reconnects to the new service
    const d = name('later');
    await runContainer(d, label);
    await eventually(() => p.routers().length === 2 && p.last()!.issues.length === 0);
    const away = p.snapshots.find((s) => s.issues.length > 0);
    assert.match(away?.issues[0]?.message ?? '', /the last configuration stays in use/);
    assert.deepEqual(Object.keys((away!.config as Any).http.routers), [c.replace(/[^a-z0-9]+/gi, '-')]);
    await p.stop();
    await removeContainers([c, d]);
  });

  it('reports an unreachable engine, with an empty configuration', async () => {
    const c = name('late');
    await runContainer(c, label);
    const p = start({ endpoint: `${service.endpoint}.missing` });
    await eventually(() => (p.last()?.issues.length ?? 0) > 0);
    assert.deepEqual(p.last()!.config, {});
    assert.match(p.last()!.issues[0]!.message, /cannot read the docker engine at .*podman\.sock\.missing/);
    await p.stop();
    await removeContainers([c]);
  });

  it('without watch, emits one snapshot and returns', async () => {
    const c = name('once');
    await runContainer(c, label);
    const p = start({ watch: false });
    await p.done;
    assert.equal(p.snapshots.length, 1);
    assert.deepEqual(p.routers(), [c.replace(/[^a-z0-9]+/gi, '-')]);
    await removeContainers([c]);
  });
});
