import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type DynamicConfig, emptyDynamicConfig } from '../config/dynamic/index.js';
import { rootLogger } from '../core/logger.js';
import type { Registry } from '../core/registry.js';
import { builtinTcpMiddlewares } from '../middlewares/tcp/index.js';
import type { TcpConnection } from '../proxy/tcp/connection.js';
import { builtinTcpServices, type TcpServiceDefinition } from '../services/tcp/kinds.js';
import { buildTcp } from './build-tcp.js';

const stop = new AbortController();
after(() => stop.abort());

function build(tcp: Partial<DynamicConfig['tcp']>, kinds: Registry<TcpServiceDefinition>) {
  const config = emptyDynamicConfig();
  config.tcp = { routers: {}, services: {}, middlewares: {}, serversTransports: {}, ...tcp };
  return buildTcp({
    config,
    elementIssues: [],
    entryPoints: [{ name: 'tcp', asDefault: true }],
    runtime: { routers: {}, services: {}, middlewares: {}, other: [] },
    defaultTransport: { dialTimeout: 30_000, dialKeepAlive: 15_000, terminationDelay: 100 },
    logger: rootLogger,
    generation: 1,
    signal: stop.signal,
    tcpMiddlewares: builtinTcpMiddlewares(),
    tcpServices: kinds,
  });
}

/** A test kind that names another service (`target`), builds it, and closes every connection it gets. */
function relayKind(seen: string[]): TcpServiceDefinition {
  return {
    type: 'relay',
    schema: {} as never,
    refs: [{ path: ['target'], to: 'service' }],
    create(config: { target: string }, ctx) {
      const target = ctx.service(config.target);
      return {
        handler: (conn) => {
          seen.push(ctx.name);
          conn.socket.destroy();
        },
        health: target.health,
        serverStatus: () => ({}),
      };
    },
  };
}

const services = {
  'front@file': { relay: { target: 'split' } },
  'split@file': { weighted: { services: [{ name: 'pg' }] } },
  'pg@file': { loadBalancer: { servers: [{ address: '127.0.0.1:5432' }] } },
} as unknown as DynamicConfig['tcp']['services'];
const routers = { 'r@file': { rule: 'HostSNI(`*`)', service: 'front' } };

describe('buildTcp and the TCP service kinds', () => {
  it('builds a kind from the registry it is given, beside the built-in kinds', () => {
    const kinds = builtinTcpServices();
    const seen: string[] = [];
    kinds.register('relay', relayKind(seen));
    const { tables, runtime } = build({ routers, services }, kinds);

    for (const name of ['front@file', 'split@file', 'pg@file']) {
      assert.equal(runtime.services[name]!.status, 'enabled', name);
      assert.deepEqual(runtime.services[name]!.errors, [], name);
    }
    assert.equal(runtime.routers['r@file']!.status, 'enabled');
    // "used by" follows the references the test kind declares, as the built-ins' do.
    assert.deepEqual(runtime.services['front@file']!.usedBy, ['r@file']);
    assert.deepEqual(runtime.services['split@file']!.usedBy, ['front@file']);
    assert.deepEqual(runtime.services['pg@file']!.usedBy, ['split@file']);
    assert.deepEqual(runtime.services['pg@file']!.serverStatus, { '127.0.0.1:5432': 'UP' });

    // The router's handler is the one the test kind built: a connection passes through it.
    const route = tables.get('tcp')!.plain.match({ host: '', clientIp: '127.0.0.1', alpn: [] });
    assert.equal(route?.name, 'r@file');
    const closed: string[] = [];
    const conn = {
      facts: { clientAddress: '127.0.0.1:40000' },
      socket: { destroy: () => closed.push('destroyed') },
    } as unknown as TcpConnection;
    route!.handler(conn);
    assert.deepEqual(seen, ['front@file']);
    assert.deepEqual(closed, ['destroyed']);
  });

  it('disables a service whose kind its registry does not hold, and the routers that use it', () => {
    const { tables, runtime } = build({ routers, services }, builtinTcpServices());
    assert.equal(runtime.services['front@file']!.status, 'disabled');
    assert.deepEqual(runtime.services['front@file']!.errors, [
      'the service "front@file" does not have any type defined',
    ]);
    assert.equal(runtime.routers['r@file']!.status, 'disabled');
    assert.equal(tables.get('tcp')!.plain.names().length, 0);
    // The built-in kinds still build.
    assert.equal(runtime.services['split@file']!.status, 'enabled');
    assert.deepEqual(runtime.services['pg@file']!.serverStatus, { '127.0.0.1:5432': 'UP' });
  });
});
