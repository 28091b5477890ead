import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertV1Labels } from './labels.js';

type Http = { http: Record<string, Record<string, Record<string, unknown>>> };

describe('convertV1Labels', () => {
  it('converts the basic v1 labels (seed 003 shape)', () => {
    const { config, warnings } = convertV1Labels(
      {
        'traefik.backend': 'whoami',
        'traefik.frontend.rule': 'Host:whoami.docker.localhost',
        'traefik.weight': '2',
      },
      { name: 'whoami_1', ip: '172.17.0.2', ports: [80] },
    );
    assert.deepEqual(warnings, []);
    const http = (config as Http).http;
    assert.deepEqual(http.routers!.whoami, {
      rule: 'Host(`whoami.docker.localhost`)',
      service: 'whoami',
      priority: 'Host:whoami.docker.localhost'.length,
    });
    assert.deepEqual(http.services!.whoami, {
      loadBalancer: { servers: [{ url: 'http://172.17.0.2:80', weight: 2 }] },
    });
  });

  it('honours traefik.enable=false, traefik.port and the default rule', () => {
    assert.deepEqual(
      convertV1Labels({ 'traefik.enable': 'false' }, { name: 'x', ip: '1.2.3.4', ports: [80] }).config,
      {},
    );
    const { config } = convertV1Labels(
      { 'traefik.port': '8080' },
      { name: 'app', ip: '1.2.3.4', ports: [80, 8080], domain: 'local' },
    );
    const http = (config as Http).http;
    assert.equal(http.routers!.app!.rule, 'Host(`app.local`)');
    assert.deepEqual(http.services!.app, { loadBalancer: { servers: [{ url: 'http://1.2.3.4:8080' }] } });
  });

  it('converts frontend and backend options and segments', () => {
    const { config } = convertV1Labels(
      {
        'traefik.frontend.headers.customRequestHeaders': 'X-A:1||X-B:2',
        'traefik.backend.maxconn.amount': '4',
        'traefik.web.port': '80',
        'traefik.web.frontend.rule': 'PathPrefixStrip:/web',
        'traefik.web.frontend.entryPoints': 'http,https',
        'traefik.admin.port': '9000',
        'traefik.admin.frontend.rule': 'Host:admin.test',
      },
      { name: 'svc', ip: '10.0.0.9', ports: [80, 9000] },
    );
    const http = (config as Http).http;
    assert.deepEqual(http.routers!['svc-web'], {
      rule: 'PathPrefix(`/web`)',
      service: 'svc-web',
      priority: 'PathPrefixStrip:/web'.length,
      entryPoints: ['http', 'https'],
      middlewares: ['svc-web-headers', 'svc-web-stripprefix', 'svc-web-maxconn'],
    });
    assert.deepEqual(http.middlewares!['svc-web-headers'], {
      headers: { customRequestHeaders: { 'X-A': '1', 'X-B': '2' } },
    });
    assert.equal(http.routers!['svc-admin']!.rule, 'Host(`admin.test`)');
    assert.deepEqual(http.services!['svc-admin'], {
      loadBalancer: { servers: [{ url: 'http://10.0.0.9:9000' }] },
    });
  });
});
