import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { request, whoamiHeader } from '../helpers/http.js';

describe('entrypoint http options: redirections, middlewares, tls', () => {
  let backend: WhoamiServer;
  let sy: Running;

  before(async () => {
    backend = await startWhoami({ name: 'ep' });
    const dir = tempDir();
    const dynamic = writeFile(
      dir,
      'dynamic.yml',
      `
http:
  routers:
    app:
      rule: "Host(\`app.test\`)"
      service: s
    redirect-only:
      rule: "Host(\`old.test\`)"
      entryPoints: [secure]
      middlewares: [to-http]
      service: noop@internal
  middlewares:
    tag:
      headers:
        customResponseHeaders:
          X-Entrypoint: secure
    to-http:
      redirectScheme:
        scheme: http
        port: "8000"
  services:
    s:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${backend.port}"
`,
    );
    const config = writeFile(
      dir,
      'switchyard.yml',
      `
entryPoints:
  web:
    address: "127.0.0.1:0"
    http:
      redirections:
        entryPoint:
          to: ":8443"
          scheme: https
  secure:
    address: "127.0.0.1:0"
    http:
      tls: {}
      middlewares: [tag@file]
providers:
  file:
    filename: ${dynamic}
`,
    );
    sy = await startSwitchyard([`--configFile=${config}`], { expectEntryPoints: ['web', 'secure'] });
    await sy.waitFor(/configuration applied.*generation=2/);
  });

  after(async () => {
    await sy?.stop();
    await backend?.close();
  });

  it('redirects every plain HTTP request of an entrypoint to https, permanently', async () => {
    const res = await request(sy.url('web', '/some/path?q=1'), { headers: { host: 'app.test' } });
    assert.equal(res.status, 301);
    assert.equal(res.headers.location, 'https://app.test:8443/some/path?q=1');
  });

  it('makes every router of an entrypoint with http.tls HTTPS-only and prepends its middlewares', async () => {
    const port = sy.ports.get('secure')!;
    const res = await request(`https://127.0.0.1:${port}/`, {
      headers: { host: 'app.test' },
      rejectUnauthorized: false,
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-entrypoint'], 'secure');
    assert.equal(whoamiHeader(res.body, 'X-Forwarded-Proto'), 'https');
    const plain = await request(`http://127.0.0.1:${port}/`, { headers: { host: 'app.test' } });
    assert.equal(plain.status, 404);
  });

  it('serves noop@internal behind a redirect-only router', async () => {
    const port = sy.ports.get('secure')!;
    const res = await request(`https://127.0.0.1:${port}/x`, {
      headers: { host: 'old.test' },
      rejectUnauthorized: false,
    });
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, 'http://old.test:8000/x');
  });
});
