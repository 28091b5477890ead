import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, startWithDynamic } from '../helpers/cli.js';
import { request, whoamiName } from '../helpers/http.js';

/** Seed scenario 003 without containers: a backend dies and comes back on the same port, no reload. */
describe('active health check through the CLI', () => {
  let a: WhoamiServer;
  let b: WhoamiServer;
  let bPort: number;
  let sy: Running;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

  before(async () => {
    a = await startWhoami({ name: 'a' });
    b = await startWhoami({ name: 'b' });
    bPort = b.port;
    sy = await startWithDynamic(
      [
        'http:',
        '  routers:',
        '    main:',
        '      rule: "Host(`health.test`)"',
        '      service: svc',
        '  services:',
        '    svc:',
        '      loadBalancer:',
        '        healthCheck: { path: /health, interval: 200ms, timeout: 500ms }',
        '        servers:',
        `          - url: "http://127.0.0.1:${a.port}"`,
        `          - url: "http://127.0.0.1:${b.port}"`,
      ].join('\n'),
    );
  });

  after(async () => {
    agent.destroy();
    await sy?.stop();
    await a?.close();
    await b?.close();
  });

  const get = () => request(sy.url('web', '/'), { headers: { host: 'health.test' }, agent });

  /** Sends requests until `n` in a row satisfy `ok` (bounded in count). */
  async function untilStreak(n: number, ok: (name: string | undefined, status: number) => boolean) {
    let streak = 0;
    for (let i = 0; i < 2_000 && streak < n; i++) {
      const res = await get();
      streak = ok(whoamiName(res.body), res.status) ? streak + 1 : 0;
      if (streak === 0) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(streak, n, 'condition reached');
  }

  it('serves from both, drops a dead server without errors, and takes it back', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) seen.add(whoamiName((await get()).body) ?? '?');
    assert.deepEqual([...seen].sort(), ['a', 'b']);

    await b.close();
    await sy.waitFor(/health check failed/, 15_000);
    await untilStreak(20, (name, status) => status === 200 && name === 'a');
    for (let i = 0; i < 100; i++) {
      const res = await get();
      assert.equal(res.status, 200, 'no client sees an error once the check noticed');
      assert.equal(whoamiName(res.body), 'a');
    }

    b = await startWhoami({ name: 'b', port: bPort });
    await sy.waitFor(/server is healthy again/, 15_000);
    let back = false;
    for (let i = 0; i < 200 && !back; i++) {
      const res = await get();
      assert.equal(res.status, 200);
      back = whoamiName(res.body) === 'b';
    }
    assert.ok(back, 'b is back in rotation');
    assert.doesNotMatch(sy.output(), /generation=3/, 'no reload happened');
  });
});
