import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateDynamic } from '../../config/dynamic/validate.js';
import type { ContainerData } from './containers.js';
import { type Any, build, container, rules } from './test-containers.js';

/** The provider's snapshot as the watcher validates it: typed values, Traefik's key spellings. */
function checked(containers: ContainerData[], r = rules()) {
  const snapshot = build(containers, r);
  const result = validateDynamic(snapshot.config, { provider: 'docker', fromStrings: true });
  return {
    raw: snapshot.config,
    issues: snapshot.issues.map((i) => i.message),
    invalid: result.issues.map((i) => `${i.element}: ${i.message}`),
    tcp: result.config.tcp as Any,
    udp: result.config.udp as Any,
    http: result.config.http as Any,
  };
}

describe('docker labels → TCP and UDP configuration', () => {
  it('decodes every TCP and UDP router, service and middleware label', () => {
    const c = container('db', {
      'traefik.tcp.routers.pg.rule': 'HostSNI(`db.test`) || HostSNI(`pg.test`)',
      'traefik.tcp.routers.pg.entrypoints': 'pg,pgalt',
      'traefik.tcp.routers.pg.service': 'pg',
      'traefik.tcp.routers.pg.tls': 'true',
      'traefik.tcp.routers.pg.tls.options': 'modern',
      'traefik.tcp.routers.pg.tls.certresolver': 'le',
      'traefik.tcp.routers.pg.tls.domains[0].main': 'db.test',
      'traefik.tcp.routers.pg.tls.domains[0].sans': 'pg.test,sql.test',
      'traefik.tcp.routers.pg.middlewares': 'lan, few',
      'traefik.tcp.routers.pg.priority': '42',
      'traefik.tcp.routers.raw.rule': 'HostSNI(`raw.test`)',
      'traefik.tcp.routers.raw.service': 'pg',
      'traefik.tcp.routers.raw.tls.passthrough': 'true',
      'traefik.tcp.services.pg.loadbalancer.server.port': '5432',
      'traefik.tcp.services.pg.loadbalancer.server.tls': 'true',
      'traefik.tcp.services.pg.loadbalancer.proxyprotocol.version': '1',
      'traefik.tcp.services.pg.loadbalancer.serverstransport': 'slow',
      'traefik.tcp.middlewares.lan.ipallowlist.sourcerange': '10.0.0.0/8, 192.168.0.0/16',
      'traefik.tcp.middlewares.few.inflightconn.amount': '10',
      'traefik.udp.routers.dns.entrypoints': 'dns',
      'traefik.udp.routers.dns.service': 'dns',
      'traefik.udp.services.dns.loadbalancer.server.port': '53',
    });
    const at = c.networks.podman;
    const { issues, invalid, tcp, udp, http } = checked([c]);
    assert.deepEqual([...issues, ...invalid], []);
    assert.deepEqual(tcp.routers, {
      pg: {
        rule: 'HostSNI(`db.test`) || HostSNI(`pg.test`)',
        entryPoints: ['pg', 'pgalt'],
        service: 'pg',
        tls: {
          passthrough: false,
          options: 'modern',
          certResolver: 'le',
          domains: [{ main: 'db.test', sans: ['pg.test', 'sql.test'] }],
        },
        middlewares: ['lan', 'few'],
        priority: 42,
      },
      raw: { rule: 'HostSNI(`raw.test`)', service: 'pg', tls: { passthrough: true } },
    });
    assert.deepEqual(tcp.services, {
      pg: {
        loadBalancer: {
          servers: [{ address: `${at}:5432`, tls: true }],
          proxyProtocol: { version: 1 },
          serversTransport: 'slow',
        },
      },
    });
    assert.deepEqual(tcp.middlewares, {
      lan: { type: 'ipAllowList', options: { sourceRange: ['10.0.0.0/8', '192.168.0.0/16'] } },
      few: { type: 'inFlightConn', options: { amount: 10 } },
    });
    assert.deepEqual(udp, {
      routers: { dns: { entryPoints: ['dns'], service: 'dns' } },
      services: { dns: { loadBalancer: { servers: [{ address: `${at}:53` }] } } },
    });
    assert.deepEqual(http.routers, {}, 'TCP/UDP labels alone create no HTTP router');
  });

  it('`loadbalancer.proxyprotocol=true` asks for the PROXY protocol with its default version', () => {
    const c = container('Test', {
      'traefik.tcp.routers.r.rule': 'HostSNI(`*`)',
      'traefik.tcp.services.s.loadbalancer.proxyprotocol': 'true',
    });
    const { issues, invalid, tcp } = checked([c]);
    assert.deepEqual([...issues, ...invalid], []);
    // An empty section: the TCP service builder applies Traefik's default, version 2.
    assert.deepEqual(tcp.services.s.loadBalancer.proxyProtocol, {});
  });

  it('a TCP router without a service label gets one named after the container, on its lowest port', () => {
    const c = container(
      'Test',
      { 'traefik.tcp.routers.foo.rule': 'HostSNI(`foo.bar`)', 'traefik.tcp.routers.foo.tls': 'true' },
      { ports: { '8443/tcp': [], '8080/tcp': [] } },
    );
    const { issues, tcp, udp } = checked([c]);
    assert.deepEqual(issues, []);
    assert.deepEqual(tcp.routers, {
      foo: { rule: 'HostSNI(`foo.bar`)', service: 'Test', tls: { passthrough: false } },
    });
    assert.deepEqual(tcp.services, {
      Test: { loadBalancer: { servers: [{ address: `${c.networks.podman}:8080`, tls: false }] } },
    });
    assert.deepEqual(udp.routers, {});
  });

  it('a UDP router from one label (even `…routers.foo=true`) gets the container service', () => {
    const variants: Record<string, string>[] = [
      { 'traefik.udp.routers.foo.entrypoints': 'mydns' },
      { 'traefik.udp.routers.foo': 'true' },
    ];
    for (const labels of variants) {
      const c = container('Test', labels);
      const { issues, invalid, udp, tcp } = checked([c]);
      assert.deepEqual([...issues, ...invalid], []);
      assert.equal(udp.routers.foo.service, 'Test');
      assert.deepEqual(udp.services, {
        Test: { loadBalancer: { servers: [{ address: `${c.networks.podman}:80` }] } },
      });
      assert.deepEqual(tcp.routers, {});
    }
  });

  it('services alone (no router) get the container as their server', () => {
    const c = container('Test', {
      'traefik.udp.services.foo.loadbalancer.server.port': '8080',
      'traefik.tcp.services.bar.loadbalancer.server.port': '9090',
    });
    const { issues, udp, tcp, http } = checked([c]);
    assert.deepEqual(issues, []);
    assert.deepEqual(udp.services.foo.loadBalancer.servers, [{ address: `${c.networks.podman}:8080` }]);
    assert.deepEqual(tcp.services.bar.loadBalancer.servers, [
      { address: `${c.networks.podman}:9090`, tls: false },
    ]);
    assert.deepEqual([udp.routers, tcp.routers, http.routers], [{}, {}, {}]);
  });

  it('leaves out a TCP router without a rule, and a router that cannot pick among several services', () => {
    const c = container('Test', {
      'traefik.tcp.routers.norule.tls': 'true',
      'traefik.tcp.routers.which.rule': 'HostSNI(`*`)',
      'traefik.tcp.services.a.loadbalancer.server.port': '1',
      'traefik.tcp.services.b.loadbalancer.server.port': '2',
      'traefik.udp.routers.u.entrypoints': 'dns',
      'traefik.udp.services.x.loadbalancer.server.port': '3',
      'traefik.udp.services.y.loadbalancer.server.port': '4',
    });
    const { issues, tcp, udp } = checked([c]);
    assert.deepEqual(issues, [
      'tcp router "norule": empty rule; the router is left out',
      'tcp router "which": no service label and the container defines several services',
      'udp router "u": no service label and the container defines several services',
    ]);
    assert.deepEqual(Object.keys(tcp.routers), []);
    assert.deepEqual(Object.keys(tcp.services).sort(), ['a', 'b']);
    assert.deepEqual(Object.keys(udp.routers), []);
  });

  it('replicas share one TCP/UDP service with a server each; HTTP labels beside them still make a router', () => {
    const labels = {
      'traefik.udp.routers.foo.entrypoints': 'mydns',
      'traefik.udp.services.foo.loadbalancer.server.port': '8080',
      'traefik.http.services.Service1.loadbalancer.passhostheader': 'true',
    };
    const a = container('Test', labels, { id: '1' });
    const b = container('Test', labels, { id: '2' });
    const { issues, udp, http } = checked([a, b]);
    assert.deepEqual(issues, []);
    assert.deepEqual(udp.services.foo.loadBalancer.servers, [
      { address: `${a.networks.podman}:8080` },
      { address: `${b.networks.podman}:8080` },
    ]);
    assert.deepEqual(http.routers.Test, { rule: 'Host(`Test`)', service: 'Service1' });
    assert.equal(http.services.Service1.loadBalancer.servers.length, 2);
  });

  it('an unhealthy container: left out, or with allowEmptyServices its TCP/UDP services stay, empty', () => {
    const c = container(
      'Test',
      { 'traefik.tcp.routers.foo.rule': 'HostSNI(`foo.bar`)', 'traefik.udp.routers.bar': 'true' },
      { health: 'unhealthy' },
    );
    assert.deepEqual(checked([c]).raw, {});
    const { issues, tcp, udp } = checked([c], rules({ allowEmptyServices: true }));
    assert.deepEqual(issues, []);
    assert.deepEqual(tcp.routers.foo, { rule: 'HostSNI(`foo.bar`)', service: 'Test' });
    assert.deepEqual(tcp.services.Test.loadBalancer.servers, []);
    assert.deepEqual(udp.routers.bar, { service: 'Test' });
    assert.deepEqual(udp.services.Test.loadBalancer.servers, []);
  });

  it('a service label with no load balancer leaves the container out, as Traefik does', () => {
    for (const protocol of ['tcp', 'udp']) {
      const bad = container('bad', { [`traefik.${protocol}.services.test`]: '' });
      const good = container('good', { 'traefik.tcp.routers.g.rule': 'HostSNI(`*`)' });
      const { issues, raw } = checked([bad, good]);
      assert.deepEqual(issues, ['service "test": load-balancer is not defined']);
      assert.deepEqual(Object.keys(raw), ['tcp']);
      assert.deepEqual(Object.keys(raw.tcp.services), ['good']);
    }
  });

  it('keeps a `server.address` label as written (beyond Traefik, like `server.url` for HTTP)', () => {
    const c = container('Test', {
      'traefik.tcp.routers.r.rule': 'HostSNI(`*`)',
      'traefik.tcp.services.db.loadbalancer.server.address': 'db.internal:5432',
      'traefik.udp.services.dns.loadbalancer.server.address': '10.1.2.3:53',
    });
    const { issues, tcp, udp } = checked([c]);
    assert.deepEqual(issues, []);
    assert.deepEqual(tcp.services.db.loadBalancer.servers, [{ address: 'db.internal:5432', tls: false }]);
    assert.deepEqual(udp.services.dns.loadBalancer.servers, [{ address: '10.1.2.3:53' }]);
  });

  it('a bad value disables only its element, naming the key', () => {
    const c = container('Test', {
      'traefik.tcp.routers.ok.rule': 'HostSNI(`*`)',
      'traefik.tcp.routers.bad.rule': 'HostSNI(`*`)',
      'traefik.tcp.routers.bad.priority': 'high',
      'traefik.tcp.middlewares.few.inflightconn.amount': 'ten',
    });
    const { invalid, tcp } = checked([c]);
    assert.equal(invalid.length, 2);
    assert.match(invalid.find((i) => i.startsWith('tcp.routers.bad')) ?? '', /priority/);
    assert.match(invalid.find((i) => i.startsWith('tcp.middlewares.few')) ?? '', /amount/);
    assert.deepEqual(Object.keys(tcp.routers), ['ok']);
  });
});
