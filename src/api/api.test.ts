import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { request } from '../../test/helpers/http.js';
import { Secret } from '../config/schema/kinds.js';
import { builtinExtensions } from '../extensions.js';
import { startTestEntryPoint } from '../observability/test-entrypoint.js';
import { createApiHandler } from './index.js';
import { sampleRuntime, sampleStatic } from './test-runtime.js';

// A plugin-like middleware with a secret: the API redacts it from the instance's own registry.
const extensions = builtinExtensions();
extensions.middlewares.register('testSecret', {
  type: 'testSecret',
  schema: Type.Object({ user: Type.String(), token: Secret() }),
  create: () => (next) => next,
});

describe('API', () => {
  let ep: Awaited<ReturnType<typeof startTestEntryPoint>>;
  const get = async (path: string) => {
    const res = await request(ep.url(path));
    return {
      ...res,
      json: res.headers['content-type'] === 'application/json' ? JSON.parse(res.body) : undefined,
    };
  };

  before(async () => {
    const webui = mkdtempSync(join(tmpdir(), 'sy-webui-'));
    mkdirSync(join(webui, 'assets'));
    writeFileSync(join(webui, 'index.html'), '<html>dash</html>');
    writeFileSync(join(webui, 'assets', 'app.js'), 'globalThis.loaded = 1');
    const handler = createApiHandler({
      runtime: sampleRuntime,
      staticConfig: sampleStatic(),
      version: '1.2.3',
      webuiDir: webui,
      extensions,
    });
    ep = await startTestEntryPoint(handler, 'traefik');
  });
  after(() => ep.close());

  it('lists routers sorted by name with status, errors and using', async () => {
    const { status, json, headers } = await get('/api/http/routers');
    assert.equal(status, 200);
    assert.equal(headers['x-next-page'], '1');
    assert.deepEqual(
      json.map((r: { name: string }) => r.name),
      ['alpha@docker', 'broken@file', 'web@file'],
    );
    const broken = json[1];
    assert.equal(broken.status, 'disabled');
    assert.deepEqual(broken.error, ['service "missing@file" does not exist']);
    assert.deepEqual(json[2].using, ['web']);
    assert.deepEqual(json[2].middlewares, ['strip', 'auth']);
    assert.equal(json[2].provider, 'file');
  });

  it('paginates with page and per_page and answers 400 past the end', async () => {
    const first = await get('/api/http/routers?per_page=2');
    assert.equal(first.json.length, 2);
    assert.equal(first.headers['x-next-page'], '2');
    const second = await get('/api/http/routers?per_page=2&page=2');
    assert.deepEqual(
      second.json.map((r: { name: string }) => r.name),
      ['web@file'],
    );
    assert.equal(second.headers['x-next-page'], '1');
    assert.equal((await get('/api/http/routers?per_page=2&page=3')).status, 400);
    assert.equal((await get('/api/http/routers?page=x')).status, 400);
  });

  it('filters by search, status, serviceName and middlewareName', async () => {
    const names = async (q: string) =>
      (await get(`/api/http/routers?${q}`)).json.map((r: { name: string }) => r.name);
    assert.deepEqual(await names('search=WEB'), ['web@file']);
    assert.deepEqual(await names(`search=${encodeURIComponent('(`b.')}`), ['broken@file']);
    assert.deepEqual(await names('status=warning'), ['alpha@docker']);
    assert.deepEqual(await names('serviceName=app@file'), ['alpha@docker', 'web@file']);
    assert.deepEqual(await names('middlewareName=strip'), ['web@file']);
    assert.deepEqual(await names('sortBy=priority&direction=desc'), [
      'alpha@docker',
      'broken@file',
      'web@file',
    ]);
  });

  it('serves one element by name, 404 otherwise', async () => {
    const one = await get(`/api/http/services/${encodeURIComponent('app@file')}`);
    assert.equal(one.status, 200);
    assert.equal(one.json.type, 'loadbalancer');
    assert.deepEqual(one.json.serverStatus, { 'http://127.0.0.1:1': 'UP', 'http://127.0.0.1:2': 'DOWN' });
    assert.deepEqual(one.json.usedBy, ['web@file', 'alpha@docker']);
    const missing = await get('/api/http/routers/nope@file');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.message, 'router not found: nope@file');
  });

  it('redacts secrets in middlewares and raw data', async () => {
    const mw = await get('/api/http/middlewares/auth@file');
    assert.deepEqual(mw.json.testSecret, { user: 'bob', token: 'xxxx' });
    assert.equal(mw.json.type, 'testsecret');
    const raw = await get('/api/rawdata');
    assert.doesNotMatch(raw.body, /hunter2/);
    assert.deepEqual(Object.keys(raw.json).sort(), [
      'middlewares',
      'routers',
      'services',
      'tcpMiddlewares',
      'tcpRouters',
      'tcpServices',
      'udpRouters',
      'udpServices',
    ]);
    assert.deepEqual(raw.json.middlewares['strip@file'].stripPrefix, { prefixes: ['/api'] });
  });

  it('summarises in the overview and lists entrypoints and version', async () => {
    const o = (await get('/api/overview')).json;
    assert.deepEqual(o.http.routers, { total: 3, warnings: 1, errors: 1 });
    assert.deepEqual(o.http.middlewares, { total: 2, warnings: 0, errors: 0 });
    assert.deepEqual(o.tcp.routers, { total: 2, warnings: 0, errors: 0 });
    assert.deepEqual(o.tcp.middlewares, { total: 1, warnings: 0, errors: 0 });
    assert.deepEqual(o.udp.routers, { total: 2, warnings: 1, errors: 0 });
    assert.deepEqual(o.udp.services, { total: 2, warnings: 0, errors: 1 });
    assert.deepEqual(o.providers, ['File']);
    assert.deepEqual(o.features, { tracing: '', metrics: '', accessLog: false });
    const eps = (await get('/api/entrypoints')).json;
    assert.deepEqual(
      eps.map((e: { name: string }) => e.name),
      ['dns', 'pg', 'traefik', 'web'],
    );
    assert.equal((await get('/api/entrypoints/web')).json.address, ':80');
    assert.equal((await get('/api/version')).json.Version, '1.2.3');
    assert.equal((await get('/api/stats')).status, 200);
  });

  it("serves TCP routers, services and middlewares in Traefik's shapes", async () => {
    const routers = (await get('/api/tcp/routers')).json;
    assert.deepEqual(routers[0], {
      entryPoints: ['pg'],
      middlewares: ['allow'],
      name: 'db@file',
      priority: 0,
      priorityStr: '0',
      provider: 'file',
      rule: 'HostSNI(`*`)',
      service: 'pg',
      status: 'enabled',
      using: ['pg'],
    });
    assert.deepEqual(routers[1].tls, { passthrough: true });
    const pg = (await get('/api/tcp/services/pg@file')).json;
    assert.deepEqual(pg, {
      loadBalancer: { servers: [{ address: '127.0.0.1:5432' }] },
      name: 'pg@file',
      provider: 'file',
      serverStatus: { '127.0.0.1:5432': 'UP' },
      status: 'enabled',
      type: 'loadbalancer',
      usedBy: ['db@file', 'pass@file'],
    });
    const allow = (await get('/api/tcp/middlewares/allow@file')).json;
    assert.deepEqual(allow.ipAllowList, { sourceRange: ['127.0.0.1/32'] });
    assert.equal(allow.type, 'ipallowlist');
    assert.equal(
      (await get('/api/tcp/middlewares/nope@file')).json.message,
      'middleware not found: nope@file',
    );
  });

  it("serves UDP routers and services in Traefik's shapes, with status and errors", async () => {
    const routers = await get('/api/udp/routers');
    assert.equal(routers.headers['x-next-page'], '1');
    assert.deepEqual(routers.json[0], {
      entryPoints: ['dns'],
      name: 'dns@file',
      provider: 'file',
      service: 'resolvers',
      status: 'enabled',
      using: ['dns'],
    });
    assert.equal(routers.json[1].status, 'warning');
    assert.match(routers.json[1].error[0], /serves one UDP router only/);
    const one = (await get('/api/udp/services/resolvers@file')).json;
    assert.deepEqual(one, {
      loadBalancer: { servers: [{ address: '127.0.0.1:5301' }, { address: '127.0.0.1:5302' }] },
      name: 'resolvers@file',
      provider: 'file',
      status: 'enabled',
      type: 'loadbalancer',
      usedBy: ['dns@file', 'extra@file'],
    });
    const names = async (q: string) =>
      (await get(`/api/udp/services?${q}`)).json.map((r: { name: string }) => r.name);
    assert.deepEqual(await names('status=disabled'), ['ghost@file']);
    assert.deepEqual(await names('search=RESOLV'), ['resolvers@file']);
    assert.deepEqual((await get('/api/udp/routers?serviceName=resolvers@file')).json.length, 2);
    const ghost = (await get('/api/udp/services/ghost@file')).json;
    assert.equal(ghost.type, 'weighted');
    assert.deepEqual(ghost.error, ['the UDP service "nope@file" does not exist']);
    const missing = await get('/api/udp/routers/nope@file');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.message, 'router not found: nope@file');
    const raw = (await get('/api/rawdata')).json;
    assert.deepEqual(Object.keys(raw.udpRouters), ['dns@file', 'extra@file']);
    assert.equal(raw.tcpServices['pg@file'].type, 'loadbalancer');
  });

  it('serves the dashboard and redirects / to it', async () => {
    const root = await get('/');
    assert.equal(root.status, 302);
    assert.equal(root.headers.location, '/dashboard/');
    assert.equal((await get('/dashboard')).headers.location, '/dashboard/');
    assert.equal((await get('/dashboard/')).body, '<html>dash</html>');
    assert.equal((await get('/dashboard/routers/x')).body, '<html>dash</html>');
    const js = await get('/dashboard/assets/app.js');
    assert.match(String(js.headers['content-type']), /javascript/);
    assert.equal((await get('/dashboard/../package.json')).status, 404);
    assert.equal((await request(ep.url('/api/overview'), { method: 'POST' })).status, 405);
  });
});
