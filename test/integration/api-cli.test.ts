import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { writeFile } from '../helpers/cli.js';
import { eventually, request } from '../helpers/http.js';
import { startObserved } from './observability-fixture.js';

describe('API and dashboard through the real CLI (--api.insecure)', () => {
  let env: Awaited<ReturnType<typeof startObserved>>;
  const json = async (path: string) => JSON.parse((await request(env.sy.url('traefik', path))).body);

  before(async () => {
    env = await startObserved(['--api.insecure=true']);
  });
  after(() => env?.close());

  it('serves routers, services and middlewares with status and errors', async () => {
    const routers = await json('/api/http/routers');
    const names = routers.map((r: { name: string }) => r.name);
    assert.ok(names.includes('app@file') && names.includes('broken@file'), names.join(','));
    const broken = await json('/api/http/routers/broken@file');
    assert.equal(broken.status, 'disabled');
    assert.ok(broken.error.length > 0);
    const app = await json('/api/http/services/app@file');
    assert.equal(app.type, 'loadbalancer');
    assert.deepEqual(app.usedBy, ['app@file']);
    assert.deepEqual(Object.values(app.serverStatus), ['UP']);
    const mw = await json('/api/http/middlewares/tag@file');
    assert.deepEqual(mw.headers.customResponseHeaders, { 'X-Tag': 'observed' });
    const overview = await json('/api/overview');
    assert.equal(overview.http.routers.errors, 1);
    assert.deepEqual(overview.providers, ['File']);
    const eps = (await json('/api/entrypoints')).map((e: { name: string }) => e.name);
    assert.deepEqual(eps, ['traefik', 'web']);
    assert.equal(typeof (await json('/api/version')).Version, 'string');
  });

  it('shows a configuration change', async () => {
    writeFile(
      env.dir,
      'extra.yml',
      'http:\n  routers:\n    late:\n      rule: "Host(`late.test`)"\n      service: app@file\n',
    );
    await eventually(async () =>
      (await json('/api/http/routers?search=late')).some((r: { name: string }) => r.name === 'late@file'),
    );
  });

  it('redirects / to the dashboard and serves it', async () => {
    const root = await request(env.sy.url('traefik', '/'));
    assert.equal(root.status, 302);
    assert.equal(root.headers.location, '/dashboard/');
    const page = await request(env.sy.url('traefik', '/dashboard/'));
    assert.equal(page.status, 200);
    assert.match(page.body, /<div id="app">/);
  });
});
