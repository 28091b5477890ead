import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateDynamic } from '../../config/dynamic/validate.js';
import { type Any, build, container, rules } from './test-containers.js';

describe('docker labels → configuration', () => {
  it('auto-creates a router with the default rule and a service named after the container', () => {
    const c = container('my_app', {}, { ports: { '8080/tcp': [], '443/tcp': [], '9000/udp': [] } });
    const { config, issues } = build([c]);
    assert.deepEqual(issues, []);
    assert.deepEqual(config, {
      http: {
        routers: { 'my-app': { rule: 'Host(`my-app`)', service: 'my-app' } },
        services: { 'my-app': { loadBalancer: { servers: [{ url: `http://${c.networks.podman}:443` }] } } },
      },
    });
  });

  it('assigns the only service to a router, reads server.port/scheme, keeps middlewares, validates', () => {
    const c = container('api', {
      'traefik.http.routers.api.rule': 'Host(`api.localhost`)',
      'traefik.http.routers.api.entrypoints': 'web,websecure',
      'traefik.http.routers.api.middlewares': 'strip',
      'traefik.http.routers.api.tls': 'true',
      'traefik.http.routers.api.tls.domains[0].main': 'api.localhost',
      'traefik.http.services.backend.loadbalancer.server.port': '3000',
      'traefik.http.services.backend.loadbalancer.server.scheme': 'https',
      'traefik.http.services.backend.loadbalancer.passhostheader': 'false',
      'traefik.http.middlewares.strip.stripprefix.prefixes': '/api,/v1',
      'com.example.other': 'ignored',
    });
    const { config, issues } = build([c]);
    assert.deepEqual(issues, []);
    assert.equal(config.http.routers.api.service, 'backend');
    assert.deepEqual(config.http.routers.api.tls, { domains: [{ main: 'api.localhost' }] });
    assert.deepEqual(config.http.services.backend.loadbalancer, {
      passhostheader: 'false',
      servers: [{ url: `https://${c.networks.podman}:3000` }],
    });
    const checked = validateDynamic(config, { provider: 'docker', fromStrings: true });
    assert.deepEqual(checked.issues, []);
    assert.deepEqual(checked.config.http.routers.api!.entryPoints, ['web', 'websecure']);
    assert.equal(checked.config.http.services.backend!.loadBalancer!.passHostHeader, false);
  });

  it('merges replicas that share a service, and leaves out a router defined differently', () => {
    const shared = {
      'traefik.http.routers.whoami.rule': 'Host(`whoami.docker.localhost`)',
      'traefik.http.services.whoami.loadbalancer.server.port': '80',
    };
    const a = container('whoami1', shared);
    const b = container('whoami2', shared);
    const c = container('other', { 'traefik.http.routers.whoami.rule': 'Host(`else`)' });
    const { config, issues } = build([a, b, c]);
    assert.deepEqual(
      config.http.services.whoami.loadbalancer.servers.map((s: Any) => s.url),
      [`http://${a.networks.podman}:80`, `http://${b.networks.podman}:80`],
    );
    assert.equal(config.http.routers.whoami, undefined);
    assert.deepEqual(issues, [
      {
        message:
          'http.routers.whoami is defined differently by containers whoami1, whoami2, other; it is left out',
        source: 'docker',
      },
    ]);
  });

  it('honours traefik.enable, exposedByDefault, constraints and health', () => {
    const cs = [
      container('on', { 'traefik.enable': 'true', zone: 'a' }),
      container('off', { 'traefik.enable': 'false', zone: 'a' }),
      container('plain', { zone: 'a' }),
      container('elsewhere', { 'traefik.enable': 'true', zone: 'b' }),
      container('sick', { 'traefik.enable': 'true', zone: 'a' }, { health: 'unhealthy' }),
      container('fine', { 'traefik.enable': 'TRUE', zone: 'a' }, { health: 'healthy' }),
      container('typo', { 'traefik.enable': 'yes' }),
    ];
    const r = rules({ exposedByDefault: false, constraints: 'Label(`zone`, `a`)' });
    const { config, issues } = build(cs, r);
    assert.deepEqual(Object.keys(config.http.routers).sort(), ['fine', 'on']);
    assert.deepEqual(issues, [
      { message: 'traefik.enable: "yes" is not true or false', source: 'container typo' },
    ]);
    const empty = build(cs, { ...r, allowEmptyServices: true }).config;
    assert.deepEqual(empty.http.services.sick.loadBalancer.servers, []);
    assert.equal(empty.http.routers.sick.service, 'sick');
  });

  it('builds TCP and UDP routers and services without an HTTP router', () => {
    const c = container('db', {
      'traefik.tcp.routers.pg.rule': 'HostSNI(`*`)',
      'traefik.tcp.routers.pg.entrypoints': 'pg',
      'traefik.tcp.services.pg.loadbalancer.server.port': '5432',
      'traefik.udp.routers.dns.entrypoints': 'dns',
      'traefik.tcp.routers.norule.entrypoints': 'pg',
    });
    const { config, issues } = build([c]);
    const at = c.networks.podman;
    assert.equal(config.http, undefined);
    assert.deepEqual(config.tcp.services.pg.loadbalancer.servers, [{ address: `${at}:5432` }]);
    assert.equal(config.tcp.routers.pg.service, 'pg');
    assert.deepEqual(config.udp, {
      routers: { dns: { entrypoints: 'dns', service: 'db' } },
      services: { db: { loadBalancer: { servers: [{ address: `${at}:80` }] } } },
    });
    assert.deepEqual(
      issues.map((i) => i.message),
      ['tcp router "norule": empty rule; the router is left out'],
    );
  });

  it('accepts weighted services and TLS options by labels (beyond Traefik)', () => {
    const v1 = container('app-v1', { 'traefik.http.services.app-v1.loadbalancer.server.port': '80' });
    const v2 = container('app-v2', {
      'traefik.http.routers.app.rule': 'Host(`app`)',
      'traefik.http.routers.app.service': 'app',
      'traefik.http.routers.app.tls.options': 'modern',
      'traefik.http.services.app.weighted.services[0].name': 'app-v1',
      'traefik.http.services.app.weighted.services[0].weight': '3',
      'traefik.http.services.app.weighted.services[1].name': 'app-v2',
      'traefik.http.services.app.weighted.services[1].weight': '1',
      'traefik.http.services.app-v2.loadbalancer.server.port': '80',
      'traefik.tls.options.modern.minversion': 'VersionTLS13',
    });
    const { config, issues } = build([v1, v2]);
    assert.deepEqual(issues, []);
    assert.deepEqual(config.http.services.app, {
      weighted: {
        services: [
          { name: 'app-v1', weight: '3' },
          { name: 'app-v2', weight: '1' },
        ],
      },
    });
    assert.deepEqual(config.tls, { options: { modern: { minversion: 'VersionTLS13' } } });
    const checked = validateDynamic(config, { provider: 'docker', fromStrings: true });
    assert.deepEqual(checked.issues, []);
    assert.equal(checked.config.tls.options.modern!.minVersion, 'VersionTLS13');
  });

  it('picks the network, the bound host IP, and reports a container it cannot reach', () => {
    const multi = container(
      'multi',
      { 'traefik.docker.network': 'front' },
      {
        networks: { back: '10.1.0.2', front: '10.2.0.2' },
      },
    );
    const bound = container(
      'bound',
      {},
      { ports: { '80/tcp': [{ hostIp: '127.0.0.1', hostPort: '8081' }] } },
    );
    const six = container('six', {}, { networks: { v6: 'fd00::5' } });
    const noPort = container('noport', {}, { ports: {} });
    const { config, issues } = build([multi, bound, six, noPort], rules({ useBindPortIP: true }));
    const url = (s: string) => config.http.services[s].loadBalancer.servers[0].url;
    assert.equal(url('multi'), 'http://10.2.0.2:80');
    assert.equal(url('bound'), 'http://127.0.0.1:8081');
    assert.equal(url('six'), 'http://[fd00::5]:80');
    assert.deepEqual(issues, [
      {
        message: 'service "noport": port is missing (no server.port label and no exposed port)',
        source: 'container noport',
      },
    ]);
  });

  it('uses the compose service name and the defaultRule template with labels', () => {
    const c = container('proj-web-1', {
      'com.docker.compose.service': 'web',
      'com.docker.compose.project': 'proj',
      domain: 'example.org',
    });
    const r = rules({ defaultRule: 'Host(`{{ .Name }}.{{ index .Labels "domain" }}`)' });
    const { config } = build([c], r);
    assert.deepEqual(config.http.routers['web-proj'], {
      rule: 'Host(`web-proj.example.org`)',
      service: 'web-proj',
    });
  });
});

describe('docker v1 labels', () => {
  it('converts seed 003’s labels: two containers, one backend, one frontend', () => {
    const v1 = { 'traefik.backend': 'whoami', 'traefik.frontend.rule': 'Host:whoami.docker.localhost' };
    const a = container('whoami1', v1);
    const b = container('whoami2', v1);
    const { config, issues } = build([a, b]);
    assert.deepEqual(issues, []);
    const checked = validateDynamic(config, { provider: 'docker', fromStrings: true });
    assert.deepEqual(checked.issues, []);
    const routers = Object.values(checked.config.http.routers);
    assert.equal(routers.length, 1);
    assert.equal(routers[0]!.rule, 'Host(`whoami.docker.localhost`)');
    const service = checked.config.http.services[routers[0]!.service]!;
    assert.deepEqual(
      service.loadBalancer!.servers.map((s) => s.url),
      [`http://${a.networks.podman}:80`, `http://${b.networks.podman}:80`],
    );
  });

  it('prefers v3 labels when a container has both, and skips a disabled v1 container', () => {
    const both = container('both', {
      'traefik.frontend.rule': 'Host:old.test',
      'traefik.http.routers.new.rule': 'Host(`new.test`)',
    });
    const off = container('off', { 'traefik.enable': 'false', 'traefik.frontend.rule': 'Host:off.test' });
    const { config } = build([both, off]);
    assert.deepEqual(Object.keys(config.http.routers), ['new']);
  });
});
