import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateDynamic } from '../../config/dynamic/validate.js';
import { snapshotFromPairs } from './layout.js';

/** Keys under `traefik/` → the configuration the watcher gets (typed), its issues, and where they are. */
function decode(pairs: [string, string][]) {
  const snapshot = snapshotFromPairs(pairs, 'traefik', 'etcd');
  const result = validateDynamic(snapshot.config, {
    provider: 'etcd',
    fromStrings: true,
    locate: snapshot.locate,
  });
  return { tcp: result.config.tcp, udp: result.config.udp, issues: [...snapshot.issues, ...result.issues] };
}

describe('KV keys in Traefik v3 layout → TCP and UDP configuration', () => {
  it('decodes TCP routers, services, middlewares and servers transports', () => {
    const { tcp, issues } = decode([
      ['traefik/tcp/routers/TCPRouter0/entryPoints/0', 'pg'],
      ['traefik/tcp/routers/TCPRouter0/entryPoints/1', 'pgalt'],
      ['traefik/tcp/routers/TCPRouter0/service', 'TCPService01'],
      ['traefik/tcp/routers/TCPRouter0/rule', 'HostSNI(`db.test`)'],
      ['traefik/tcp/routers/TCPRouter0/priority', '7'],
      ['traefik/tcp/routers/TCPRouter0/middlewares/0', 'lan'],
      ['traefik/tcp/routers/TCPRouter0/middlewares/1', 'few'],
      ['traefik/tcp/routers/TCPRouter0/tls/options', 'modern'],
      ['traefik/tcp/routers/TCPRouter0/tls/certResolver', 'le'],
      ['traefik/tcp/routers/TCPRouter0/tls/domains/0/main', 'db.test'],
      ['traefik/tcp/routers/TCPRouter0/tls/domains/0/sans/0', 'pg.test'],
      ['traefik/tcp/routers/TCPRouter0/tls/domains/0/sans/1', 'sql.test'],
      ['traefik/tcp/routers/TCPRouter1/rule', 'HostSNI(`raw.test`)'],
      ['traefik/tcp/routers/TCPRouter1/service', 'TCPService02'],
      ['traefik/tcp/routers/TCPRouter1/tls/passthrough', 'true'],
      ['traefik/tcp/routers/TCPRouter2/rule', 'HostSNI(`*`)'],
      ['traefik/tcp/routers/TCPRouter2/service', 'TCPService01'],
      ['traefik/tcp/routers/TCPRouter2/tls', 'true'],
      ['traefik/tcp/services/TCPService01/loadBalancer/servers/0/address', '10.0.0.1:5432'],
      ['traefik/tcp/services/TCPService01/loadBalancer/servers/1/address', '10.0.0.2:5432'],
      ['traefik/tcp/services/TCPService01/loadBalancer/servers/1/tls', 'true'],
      ['traefik/tcp/services/TCPService01/loadBalancer/serversTransport', 'slow'],
      ['traefik/tcp/services/TCPService01/loadBalancer/proxyProtocol/version', '2'],
      ['traefik/tcp/services/TCPService02/weighted/services/0/name', 'TCPService01'],
      ['traefik/tcp/services/TCPService02/weighted/services/0/weight', '42'],
      ['traefik/tcp/services/TCPService02/weighted/services/1/name', 'TCPService01'],
      ['traefik/tcp/middlewares/lan/ipAllowList/sourceRange/0', '10.0.0.0/8'],
      ['traefik/tcp/middlewares/lan/ipAllowList/sourceRange/1', '192.168.0.0/16'],
      ['traefik/tcp/middlewares/few/inFlightConn/amount', '10'],
      ['traefik/tcp/serversTransports/slow/dialTimeout', '5s'],
      ['traefik/tcp/serversTransports/slow/proxyProtocol/version', '1'],
      ['traefik/tcp/serversTransports/slow/tls/serverName', 'db.internal'],
    ]);
    assert.deepEqual(issues, []);
    assert.deepEqual(tcp.routers, {
      TCPRouter0: {
        entryPoints: ['pg', 'pgalt'],
        service: 'TCPService01',
        rule: 'HostSNI(`db.test`)',
        priority: 7,
        middlewares: ['lan', 'few'],
        tls: {
          passthrough: false,
          options: 'modern',
          certResolver: 'le',
          domains: [{ main: 'db.test', sans: ['pg.test', 'sql.test'] }],
        },
      },
      TCPRouter1: { rule: 'HostSNI(`raw.test`)', service: 'TCPService02', tls: { passthrough: true } },
      TCPRouter2: { rule: 'HostSNI(`*`)', service: 'TCPService01', tls: { passthrough: false } },
    });
    assert.deepEqual(tcp.services, {
      TCPService01: {
        loadBalancer: {
          servers: [
            { address: '10.0.0.1:5432', tls: false },
            { address: '10.0.0.2:5432', tls: true },
          ],
          serversTransport: 'slow',
          proxyProtocol: { version: 2 },
        },
      },
      TCPService02: {
        weighted: {
          services: [
            { name: 'TCPService01', weight: 42 },
            { name: 'TCPService01', weight: 1 },
          ],
        },
      },
    });
    assert.deepEqual(tcp.middlewares, {
      lan: { type: 'ipAllowList', options: { sourceRange: ['10.0.0.0/8', '192.168.0.0/16'] } },
      few: { type: 'inFlightConn', options: { amount: 10 } },
    });
    const slow = tcp.serversTransports.slow!;
    assert.equal(slow.dialTimeout, 5_000);
    assert.deepEqual(slow.proxyProtocol, { version: 1 });
    assert.equal(slow.tls?.serverName, 'db.internal');
  });

  it('decodes UDP routers and services (key names in any case)', () => {
    const { udp, issues } = decode([
      ['traefik/udp/routers/UDPRouter0/entrypoints/0', 'dns'],
      ['traefik/udp/routers/UDPRouter0/entrypoints/1', 'dnsalt'],
      ['traefik/udp/routers/UDPRouter0/service', 'UDPService01'],
      ['traefik/udp/services/UDPService01/loadBalancer/servers/0/address', '10.0.0.1:53'],
      ['traefik/udp/services/UDPService01/loadBalancer/servers/1/address', '10.0.0.2:53'],
      ['traefik/udp/services/UDPService02/weighted/services/0/name', 'UDPService01'],
      ['traefik/udp/services/UDPService02/weighted/services/0/weight', '3'],
    ]);
    assert.deepEqual(issues, []);
    assert.deepEqual(udp, {
      routers: { UDPRouter0: { entryPoints: ['dns', 'dnsalt'], service: 'UDPService01' } },
      services: {
        UDPService01: { loadBalancer: { servers: [{ address: '10.0.0.1:53' }, { address: '10.0.0.2:53' }] } },
        UDPService02: { weighted: { services: [{ name: 'UDPService01', weight: 3 }] } },
      },
    });
  });

  it('accepts a list written as one value, and `true` for a section of defaults', () => {
    const { tcp, udp, issues } = decode([
      ['traefik/tcp/routers/r/rule', 'HostSNI(`*`)'],
      ['traefik/tcp/routers/r/service', 's'],
      ['traefik/tcp/routers/r/entryPoints', 'a,b'],
      ['traefik/tcp/services/s/loadBalancer/servers/0/address', '127.0.0.1:1'],
      ['traefik/tcp/services/s/loadBalancer/proxyProtocol', 'true'],
      ['traefik/tcp/middlewares/lan/ipAllowList/sourceRange', '10.0.0.0/8,127.0.0.1'],
      ['traefik/udp/routers/u/entryPoints', 'dns,dnsalt'],
      ['traefik/udp/routers/u/service', 'v'],
    ]);
    assert.deepEqual(issues, []);
    assert.deepEqual(tcp.routers.r?.entryPoints, ['a', 'b']);
    assert.deepEqual(
      tcp.services.s?.loadBalancer?.proxyProtocol,
      {},
      'the service builder applies version 2',
    );
    assert.deepEqual(tcp.middlewares.lan?.options, { sourceRange: ['10.0.0.0/8', '127.0.0.1'] });
    assert.deepEqual(udp.routers.u?.entryPoints, ['dns', 'dnsalt']);
  });

  it('a bad value disables only its element, and the issue names the key', () => {
    const { tcp, udp, issues } = decode([
      ['traefik/tcp/routers/good/rule', 'HostSNI(`*`)'],
      ['traefik/tcp/routers/good/service', 's'],
      ['traefik/tcp/routers/bad/rule', 'HostSNI(`*`)'],
      ['traefik/tcp/routers/bad/service', 's'],
      ['traefik/tcp/routers/bad/tls/passthrough', 'maybe'],
      ['traefik/udp/routers/u/service', 'v'],
      ['traefik/udp/routers/u/rule', 'HostSNI(`*`)'],
    ]);
    assert.deepEqual(Object.keys(tcp.routers), ['good']);
    assert.deepEqual(Object.keys(udp.routers), []);
    const bad = issues.find((i) => 'element' in i && i.element === 'tcp.routers.bad');
    assert.equal(bad?.source, 'etcd:traefik/tcp/routers/bad/tls/passthrough');
    const u = issues.find((i) => 'element' in i && i.element === 'udp.routers.u');
    assert.match(u?.message ?? '', /rule/);
  });
});
