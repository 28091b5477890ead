import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { EtcdStore } from '../../src/providers/etcd/etcd-store.js';
import type { KvWriter } from '../../src/providers/kv/contract.js';
import { type Running, startSwitchyard } from '../helpers/cli.js';
import { type EtcdServer, startEtcd } from '../helpers/etcd.js';
import { eventually } from '../helpers/http.js';
import { askUdp, startUdpEcho } from '../helpers/udp.js';
import { exchange, startEcho, type TcpServer } from './tcp-fixture.js';

/**
 * TCP and UDP routing from etcd keys in Traefik's v3 layout (`traefik/tcp/routers/<n>/rule`, …), through
 * the real CLI and a real etcd: raw TCP connections reach the server a key names, follow a key's change
 * without a restart, a TCP middleware from keys refuses a connection, and UDP datagrams are routed.
 */

describe('TCP and UDP routers from etcd keys', { timeout: 120_000 }, () => {
  let etcd: EtcdServer;
  let writer: KvWriter;
  let sy: Running;
  let a: TcpServer;
  let b: TcpServer;
  let u: { socket: Socket; port: number };
  const client = createSocket('udp4');

  /** One raw TCP exchange: what the server behind the entrypoint answers to `hello`. */
  const say = async (entryPoint: string) => {
    const until = (got: string) => got.endsWith(':hello');
    return (await exchange(sy.ports.get(entryPoint)!, 'hello', { until })).data;
  };

  before(async () => {
    [etcd, a, b, u] = await Promise.all([startEtcd(), startEcho('a'), startEcho('b'), startUdpEcho('u')]);
    writer = new EtcdStore({ endpoints: [etcd.endpoint] }).writer();
    await writer.replaceDir('traefik', [
      ['traefik/tcp/routers/db/rule', 'HostSNI(`*`)'],
      ['traefik/tcp/routers/db/entryPoints/0', 'tcp'],
      ['traefik/tcp/routers/db/service', 'db'],
      ['traefik/tcp/services/db/loadBalancer/servers/0/address', a.address],
      ['traefik/tcp/routers/guarded/rule', 'HostSNI(`*`)'],
      ['traefik/tcp/routers/guarded/entryPoints/0', 'guarded'],
      ['traefik/tcp/routers/guarded/service', 'db'],
      ['traefik/tcp/routers/guarded/middlewares/0', 'lan'],
      ['traefik/tcp/middlewares/lan/ipAllowList/sourceRange/0', '10.0.0.0/8'],
      ['traefik/udp/routers/dns/entryPoints/0', 'dns'],
      ['traefik/udp/routers/dns/service', 'dns'],
      ['traefik/udp/services/dns/loadBalancer/servers/0/address', `127.0.0.1:${u.port}`],
    ]);
    sy = await startSwitchyard(
      [
        '--entryPoints.tcp.address=127.0.0.1:0',
        '--entryPoints.guarded.address=127.0.0.1:0',
        '--entryPoints.dns.address=127.0.0.1:0/udp',
        `--providers.etcd.endpoints=${etcd.endpoint}`,
        '--providers.etcd.rootKey=traefik',
        '--providers.providersThrottleDuration=20ms',
      ],
      { expectEntryPoints: ['tcp', 'guarded', 'dns'] },
    );
    await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
  });
  after(async () => {
    client.close();
    u?.socket.close();
    await sy?.stop();
    await writer?.close();
    await Promise.all([a?.close(), b?.close(), etcd?.destroy()]);
  });

  it('forwards a raw TCP connection to the server the keys name', async () => {
    await eventually(async () => (await say('tcp')) === 'a:hello');
    assert.equal(a.accepted > 0, true);
  });

  it('follows a change of the server address key without a restart', async () => {
    await writer.put('traefik/tcp/services/db/loadBalancer/servers/0/address', b.address);
    await eventually(async () => (await say('tcp')) === 'b:hello');
    assert.equal(await say('tcp'), 'b:hello');
  });

  it('applies a TCP middleware defined by keys: ipAllowList refuses 127.0.0.1', async () => {
    // The router came in the snapshot the first test saw applied: only its middleware can refuse.
    const before = b.accepted;
    const refused = await exchange(sy.ports.get('guarded')!, 'hello', { until: (g) => g.endsWith(':hello') });
    assert.equal(refused.data, '', 'nothing comes back from the server');
    assert.equal(refused.closed, true, 'the connection is closed');
    assert.equal(b.accepted, before, 'the server never saw the connection');
    await writer.put('traefik/tcp/middlewares/lan/ipAllowList/sourceRange/1', '127.0.0.1/32');
    await eventually(async () => (await say('guarded')) === 'b:hello');
  });

  it('routes UDP datagrams to the server the keys name', async () => {
    await eventually(async () => (await askUdp(client, sy.ports.get('dns')!, 'ping')) !== undefined);
    assert.equal(await askUdp(client, sy.ports.get('dns')!, 'hello', 10_000), 'u:hello');
  });
});
