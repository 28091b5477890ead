import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { BUILTIN_SCHEMAS } from '../config/dynamic/builtin-schemas.js';
import { type DynamicConfig, emptyDynamicConfig } from '../config/dynamic/index.js';
import { Registry } from '../core/registry.js';
import { MIDDLEWARE_DECLARATIONS } from '../middlewares/declarations.js';
import { qualifyConfig } from './qualify-refs.js';

function sample(): DynamicConfig {
  const c = emptyDynamicConfig();
  c.http.routers.api = {
    rule: 'Path(`/`)',
    service: 'svc',
    middlewares: ['strip', 'auth@docker'],
    tls: { options: 'modern' },
  };
  c.http.routers.web = { rule: 'Path(`/`)', service: 'noop@internal', tls: { options: 'default' } };
  c.http.services.svc = { loadBalancer: { servers: [], serversTransport: 'tr' }, middlewares: ['m'] };
  c.http.services.w = {
    weighted: {
      services: [
        { name: 'a', weight: 1 },
        { name: 'b@etcd', weight: 2 },
      ],
    },
  };
  c.http.services.h = { highestRandomWeight: { services: [{ name: 'a', weight: 1 }] } };
  c.http.services.mir = { mirroring: { service: 'main', mirrors: [{ name: 'copy', percent: 10 }] } };
  c.http.services.fo = { failover: { service: 'main', fallback: 'spare@file' } };
  c.http.middlewares.ch = { type: 'chain', options: { middlewares: ['a', 'b@etcd'] } };
  c.http.middlewares.err = { type: 'errors', options: { status: ['500'], service: 'pages' } };
  c.http.middlewares.strip = { type: 'stripPrefix', options: { prefixes: ['/a'] } };
  c.http.serversTransports.tr = {};
  c.tcp.routers.t = { rule: 'HostSNI(`*`)', service: 'ts', middlewares: ['lim'], tls: { options: 'modern' } };
  c.tcp.services.ts = { loadBalancer: { servers: [], serversTransport: 'ttr' } };
  c.tcp.services.tw = { weighted: { services: [{ name: 'ts' }] } };
  c.tcp.middlewares.lim = { type: 'inFlightConn', options: { amount: 1 } };
  c.tcp.serversTransports.ttr = {};
  c.udp.routers.u = { service: 'us' };
  c.udp.services.uw = { weighted: { services: [{ name: 'us' }] } };
  c.tls.options.default = {};
  c.tls.options.modern = { minVersion: 'VersionTLS13' };
  c.tls.stores.default = {};
  c.tls.certificates.push({ certFile: 'a', keyFile: 'b', stores: ['default'] });
  return c;
}

describe('qualifyConfig', () => {
  const q = qualifyConfig(sample(), 'file');

  it('qualifies every element name, except the shared TLS defaults', () => {
    assert.deepEqual(Object.keys(q.http.routers), ['api@file', 'web@file']);
    assert.deepEqual(Object.keys(q.http.services), ['svc@file', 'w@file', 'h@file', 'mir@file', 'fo@file']);
    assert.deepEqual(Object.keys(q.http.serversTransports), ['tr@file']);
    assert.deepEqual(Object.keys(q.tcp.middlewares), ['lim@file']);
    assert.deepEqual(Object.keys(q.tcp.serversTransports), ['ttr@file']);
    assert.deepEqual(Object.keys(q.udp.routers), ['u@file']);
    assert.deepEqual(Object.keys(q.tls.options), ['default', 'modern@file']);
    assert.deepEqual(Object.keys(q.tls.stores), ['default']);
    assert.deepEqual(q.tls.certificates, [{ certFile: 'a', keyFile: 'b', stores: ['default'] }]);
  });

  it('qualifies router references', () => {
    assert.deepEqual(q.http.routers['api@file'], {
      rule: 'Path(`/`)',
      service: 'svc@file',
      middlewares: ['strip@file', 'auth@docker'],
      tls: { options: 'modern@file' },
    });
    assert.equal(q.http.routers['web@file']?.service, 'noop@internal');
    assert.deepEqual(q.http.routers['web@file']?.tls, { options: 'default' });
    assert.deepEqual(q.tcp.routers['t@file'], {
      rule: 'HostSNI(`*`)',
      service: 'ts@file',
      middlewares: ['lim@file'],
      tls: { options: 'modern@file' },
    });
    assert.equal(q.udp.routers['u@file']?.service, 'us@file');
  });

  it('qualifies service references', () => {
    assert.deepEqual(q.http.services['svc@file'], {
      loadBalancer: { servers: [], serversTransport: 'tr@file' },
      middlewares: ['m@file'],
    });
    assert.deepEqual(q.http.services['w@file']?.weighted?.services, [
      { name: 'a@file', weight: 1 },
      { name: 'b@etcd', weight: 2 },
    ]);
    assert.equal(q.http.services['h@file']?.highestRandomWeight?.services[0]?.name, 'a@file');
    assert.deepEqual(q.http.services['mir@file']?.mirroring, {
      service: 'main@file',
      mirrors: [{ name: 'copy@file', percent: 10 }],
    });
    assert.deepEqual(q.http.services['fo@file']?.failover, { service: 'main@file', fallback: 'spare@file' });
    assert.equal(q.tcp.services['ts@file']?.loadBalancer?.serversTransport, 'ttr@file');
    assert.equal(q.tcp.services['tw@file']?.weighted?.services[0]?.name, 'ts@file');
    assert.equal(q.udp.services['uw@file']?.weighted?.services[0]?.name, 'us@file');
  });

  it('qualifies names inside chain and errors middlewares only', () => {
    assert.deepEqual(q.http.middlewares['ch@file'], {
      type: 'chain',
      options: { middlewares: ['a@file', 'b@etcd'] },
    });
    assert.deepEqual(q.http.middlewares['err@file'], {
      type: 'errors',
      options: { status: ['500'], service: 'pages@file' },
    });
    assert.deepEqual(q.http.middlewares['strip@file'], {
      type: 'stripPrefix',
      options: { prefixes: ['/a'] },
    });
  });

  it('leaves the input untouched', () => {
    const input = sample();
    qualifyConfig(input, 'file');
    assert.deepEqual(input, sample());
  });
});

describe("qualifyConfig with the instance's declarations", () => {
  it('qualifies the references a plugin middleware declares, and nothing it does not', () => {
    const plugin = {
      type: 'plugin.route',
      schema: Type.Object({ fallback: Type.String(), pages: Type.Array(Type.String()), note: Type.String() }),
      refs: [
        { path: ['fallback'], to: 'service' },
        { path: ['pages', '*'], to: 'middleware' },
      ],
    } as const;
    const schemas = {
      ...BUILTIN_SCHEMAS,
      middlewares: Registry.of('middleware', [...MIDDLEWARE_DECLARATIONS, plugin]),
    };
    const c = emptyDynamicConfig();
    const options = { fallback: 'spare', pages: ['a', 'b@docker'], note: 'keep' };
    c.http.middlewares.r = { type: 'plugin.route', options };
    const q = qualifyConfig(c, 'file', schemas);
    assert.deepEqual(q.http.middlewares['r@file']?.options, {
      fallback: 'spare@file',
      pages: ['a@file', 'b@docker'],
      note: 'keep',
    });
    assert.deepEqual(options.pages, ['a', 'b@docker'], 'the input is not changed');
    // Without the plugin's declaration (the built-ins only), its options are left as written.
    assert.deepEqual(qualifyConfig(c, 'file').http.middlewares['r@file']?.options, options);
  });
});
