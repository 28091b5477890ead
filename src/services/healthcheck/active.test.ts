import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { after, describe, it } from 'node:test';
import { httpRequest, startFrontend } from '../../../test/helpers/backends.js';
import { eventually } from '../../../test/helpers/http.js';
import { startWhoami, type WhoamiServer } from '../../cli/whoami.js';
import { loadBalancerService } from '../loadbalancer/index.js';
import { testServiceContext } from '../testing.js';
import { probeRequest } from './active.js';
import { SERVER_HEALTH_CHANNEL, type ServerHealthEvent, serverHealth } from './server-health.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

async function whoami(name: string): Promise<WhoamiServer & { url: string }> {
  const w = await startWhoami({ name });
  cleanups.push(w.close);
  return Object.assign(w, { url: `http://127.0.0.1:${w.port}` });
}

const setHealth = (w: WhoamiServer, status: number) =>
  httpRequest(`http://127.0.0.1:${w.port}/health`, { method: 'POST', body: String(status) });

describe('active health checks', () => {
  it('builds the check URL from scheme, port, path and hostname', () => {
    const p = probeRequest(
      'http://10.0.0.1:8080/base',
      { path: '/health?full=1', port: 9000, scheme: 'https', hostname: 'check.test', method: 'head' },
      undefined,
    );
    assert.equal(p.url.href, 'https://10.0.0.1:9000/health?full=1');
    assert.equal(p.host, 'check.test');
    assert.equal(p.method, 'HEAD');
    assert.throws(() => probeRequest('http://a', { path: '/', scheme: 'ftp' }, undefined), /scheme/);
  });

  it('takes a failing server out of rotation and back, and publishes the transitions', async () => {
    const a = await whoami('a');
    const b = await whoami('b');
    const events: ServerHealthEvent[] = [];
    const listener = (m: unknown) => events.push(m as ServerHealthEvent);
    diagnostics.subscribe(SERVER_HEALTH_CHANNEL, listener);
    const controller = new AbortController();
    const ctx = testServiceContext({ controller });
    const built = loadBalancerService.create(
      {
        servers: [{ url: a.url }, { url: b.url }],
        healthCheck: { path: '/health', interval: 30, timeout: 500 },
      },
      ctx,
    );
    const front = await startFrontend(built.handler);
    cleanups.push(front.close);
    await setHealth(b, 500);
    await eventually(() => built.serverStatus()[b.url] === 'DOWN');
    assert.equal(built.health?.up, true);
    for (let i = 0; i < 10; i++) assert.match((await httpRequest(front.url)).body.toString(), /Name: a/);
    await setHealth(b, 200);
    await eventually(() => built.serverStatus()[b.url] === 'UP');
    await eventually(async () => /Name: b/.test((await httpRequest(front.url)).body.toString()));
    diagnostics.unsubscribe(SERVER_HEALTH_CHANNEL, listener);
    assert.ok(events.some((e) => e.server === b.url && !e.up && e.reason === 'active'));
    assert.ok(events.some((e) => e.server === b.url && e.up));
    controller.abort();
  });

  it('keeps health across generations and stops the old loop on abort', async () => {
    const a = await whoami('a');
    const name = 'kept@file';
    const first = new AbortController();
    const config = {
      servers: [{ url: a.url }],
      healthCheck: { path: '/health', interval: 20, timeout: 500 },
    };
    const built1 = loadBalancerService.create(config, testServiceContext({ name, controller: first }));
    await setHealth(a, 503);
    await eventually(() => built1.serverStatus()[a.url] === 'DOWN');
    first.abort();
    const second = new AbortController();
    const built2 = loadBalancerService.create(config, testServiceContext({ name, controller: second }));
    assert.equal(built2.serverStatus()[a.url], 'DOWN', 'a reload does not forget a down server');
    assert.equal(built2.health?.up, false);
    const front = await startFrontend(built2.handler);
    cleanups.push(front.close);
    const reply = await httpRequest(front.url);
    assert.equal(reply.status, 503);
    assert.equal(reply.body.toString(), 'no available server\n');
    await setHealth(a, 200);
    await eventually(() => built2.serverStatus()[a.url] === 'UP');
    assert.equal(built2.health?.up, true);
    second.abort();
  });

  it('follows redirects unless told not to, and honours status', async () => {
    const a = await whoami('a');
    const state = serverHealth('redirect@file', a.url, 1);
    const { probeHttp } = await import('./probe-http.js');
    const base = probeRequest(a.url, { path: '/?status=302' }, undefined);
    assert.equal(await probeHttp({ ...base, followRedirects: false }, AbortSignal.timeout(2000)), true);
    assert.equal(await probeHttp({ ...base, status: 204 }, AbortSignal.timeout(2000)), false);
    const teapot = probeRequest(a.url, { path: '/?status=418', status: 418 }, undefined);
    assert.equal(await probeHttp(teapot, AbortSignal.timeout(2000)), true);
    assert.equal(state.up, true);
  });
});
