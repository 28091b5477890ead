import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { eventually, request } from '../helpers/http.js';

/** Issue 17 point 4: the API's `serverStatus` follows the health check live, as the proxy and metrics do. */
describe('serverStatus follows the active health check without a reload', () => {
  let backend: WhoamiServer;
  let sy: Running;
  let server: string;

  before(async () => {
    backend = await startWhoami({ name: 'hc' });
    server = `http://127.0.0.1:${backend.port}`;
    const dir = tempDir();
    writeFile(
      dir,
      'dynamic.yml',
      [
        'http:',
        '  routers:',
        '    app:',
        '      rule: "PathPrefix(`/`)"',
        '      entryPoints: [web]',
        '      service: app',
        '  services:',
        '    app:',
        '      loadBalancer:',
        '        healthCheck: { path: /health, interval: 100ms, timeout: 500ms }',
        '        servers:',
        `          - url: "${server}"`,
      ].join('\n'),
    );
    sy = await startSwitchyard(
      [
        '--entryPoints.web.address=127.0.0.1:0',
        '--entryPoints.traefik.address=127.0.0.1:0',
        `--providers.file.directory=${dir}`,
        '--api.insecure=true',
        '--metrics.prometheus=true',
      ],
      { expectEntryPoints: ['web', 'traefik'] },
    );
    await sy.waitFor(/configuration applied.*generation=2/);
  });
  after(async () => {
    await sy?.stop();
    await backend?.close();
  });

  const status = async () => {
    const res = await request(sy.url('traefik', '/api/http/services/app@file'));
    return JSON.parse(res.body).serverStatus?.[server] as string | undefined;
  };
  const serverUp = async () => {
    const text = (await request(sy.url('traefik', '/metrics'))).body;
    const line = text
      .split('\n')
      .find((l) => l.startsWith('traefik_service_server_up{') && l.includes(server));
    return line?.trim().split(' ').pop();
  };
  const setHealth = (code: number) =>
    request(`${server}/health`, { method: 'POST', body: String(code) }).then((r) => r.status);

  it('shows DOWN while the check fails and UP once it passes again', async () => {
    assert.equal(await status(), 'UP');
    assert.equal((await request(sy.url('web', '/'))).status, 200);

    assert.equal(await setHealth(500), 200);
    await eventually(async () => (await request(sy.url('web', '/'))).status === 503);
    await eventually(async () => (await serverUp()) === '0');
    assert.equal(await status(), 'DOWN', 'the API agrees with the proxy and the metrics');

    assert.equal(await setHealth(200), 200);
    await eventually(async () => (await request(sy.url('web', '/'))).status === 200);
    assert.equal(await status(), 'UP');
  });
});
