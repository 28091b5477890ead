import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { EtcdStore } from '../../src/providers/etcd/index.js';
import type { KvWriter } from '../../src/providers/kv/contract.js';
import { type Running, startSwitchyard } from '../helpers/cli.js';
import { type EtcdServer, startEtcd } from '../helpers/etcd.js';
import { eventually, request } from '../helpers/http.js';

const router = (name: string, host: string, port: number): [string, string][] => [
  [`traefik/http/routers/${name}/rule`, `Host(\`${host}\`)`],
  [`traefik/http/routers/${name}/service`, name],
  [`traefik/http/services/${name}/loadBalancer/servers/0/url`, `http://127.0.0.1:${port}`],
];

/**
 * etcd frozen (SIGSTOP: the TCP connection stays open, nothing answers): the proxy keeps serving the last
 * configuration, says the store is unreachable, and catches up once etcd runs again (SIGCONT).
 */
describe('etcd frozen with SIGSTOP, then thawed', () => {
  let etcd: EtcdServer;
  let backend: WhoamiServer;
  let writer: KvWriter;
  let sy: Running;

  before(async () => {
    etcd = await startEtcd();
    backend = await startWhoami({ name: 'kv' });
    writer = new EtcdStore({ endpoints: [etcd.endpoint] }).writer();
    await writer.replaceDir('traefik', router('before', 'before.test', backend.port));
    sy = await startSwitchyard(
      [
        '--entryPoints.web.address=127.0.0.1:0',
        `--providers.etcd.endpoints=${etcd.endpoint}`,
        '--providers.providersThrottleDuration=100ms',
      ],
      { expectEntryPoints: ['web'] },
    );
    await eventually(async () => (await get('before.test')).status === 200);
  });
  after(async () => {
    const pid = etcd?.pid();
    if (pid) process.kill(pid, 'SIGCONT');
    await sy?.stop();
    await writer?.close();
    await backend?.close();
    await etcd?.destroy();
  });

  const get = (host: string) => request(sy.url('web', '/'), { headers: { host } });

  it('keeps serving, reports the store unreachable, catches up after SIGCONT', async () => {
    const pid = etcd.pid()!;
    process.kill(pid, 'SIGSTOP');
    try {
      await sy.waitFor(
        /the store is unreachable; retrying.*providerName=etcd|providerName=etcd.*the store is unreachable/,
        60_000,
      );
      assert.equal((await get('before.test')).status, 200);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await writer.replaceDir('traefik', [
      ...router('before', 'before.test', backend.port),
      ...router('after', 'after.test', backend.port),
    ]);
    await eventually(async () => (await get('after.test')).status === 200, 30_000);
    assert.equal((await get('before.test')).status, 200);
  });
});
