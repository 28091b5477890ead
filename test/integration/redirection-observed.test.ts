import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { eventually, request } from '../helpers/http.js';

/** Issue 17 point 13: requests answered by an entrypoint redirection count for that entrypoint. */
describe('entrypoint redirection in /api/stats and the entrypoint metrics', () => {
  let sy: Running;

  before(async () => {
    const dir = tempDir();
    writeFile(dir, 'dynamic.yml', 'http:\n  routers: {}\n');
    const config = writeFile(
      dir,
      'switchyard.yml',
      `
entryPoints:
  web:
    address: "127.0.0.1:0"
    http:
      redirections:
        entryPoint: { to: websecure, scheme: https }
  websecure:
    address: "127.0.0.1:0"
  traefik:
    address: "127.0.0.1:0"
api: { insecure: true }
metrics:
  prometheus: {}
providers:
  file: { filename: ${dir}/dynamic.yml }
`,
    );
    sy = await startSwitchyard([`--configFile=${config}`], {
      expectEntryPoints: ['web', 'websecure', 'traefik'],
    });
    await sy.waitFor(/configuration applied.*generation=2/);
  });
  after(() => sy?.stop());

  it('counts redirected requests for the entrypoint, not as a router or service', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await request(sy.url('web', `/page/${i}`), { headers: { host: 'site.test' } });
      assert.equal(res.status, 301);
      assert.match(res.headers.location ?? '', /^https:\/\/site\.test:\d+\/page\//);
    }
    await eventually(async () => {
      const stats = JSON.parse((await request(sy.url('traefik', '/api/stats'))).body);
      return stats.entryPoints.web?.requests === 3;
    });
    const stats = JSON.parse((await request(sy.url('traefik', '/api/stats'))).body);
    assert.deepEqual(Object.keys(stats.routers), [], 'the internal redirect router is not listed');
    const metrics = (await request(sy.url('traefik', '/metrics'))).body;
    const line = metrics
      .split('\n')
      .find((l) => l.startsWith('traefik_entrypoint_requests_total{') && l.includes('entrypoint="web"'));
    assert.ok(line, metrics);
    assert.match(line, /code="301"/);
    assert.equal(line.trim().split(' ').pop(), '3');
    assert.ok(!metrics.includes('router="web-to-websecure@internal"'));
  });
});
