import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { request, whoamiHeader, whoamiName } from '../helpers/http.js';

describe('routing through the real CLI', () => {
  let a: WhoamiServer;
  let b: WhoamiServer;
  let sy: Running;

  before(async () => {
    a = await startWhoami({ name: 'a' });
    b = await startWhoami({ name: 'b' });
    const dir = tempDir();
    const dynamic = writeFile(
      dir,
      'dynamic.yml',
      `
http:
  routers:
    app:
      rule: "Host(\`app.test\`)"
      service: weighted
    api:
      rule: "Host(\`app.test\`) && PathPrefix(\`/api\`)"
      middlewares: [strip, tag]
      service: only-a
    sticky:
      rule: "Host(\`sticky.test\`)"
      service: sticky
    nohost:
      rule: "Host(\`nohost.test\`)"
      service: no-pass-host
    noxff:
      rule: "Host(\`noxff.test\`)"
      middlewares: [no-xff]
      service: only-a
  middlewares:
    no-xff:
      headers:
        customRequestHeaders:
          X-Forwarded-For: ""
    strip:
      stripPrefix:
        prefixes: ["/api"]
    tag:
      headers:
        customRequestHeaders:
          X-Tag: tagged
        customResponseHeaders:
          X-Served-By: switchyard
  services:
    weighted:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${a.port}"
            weight: 3
          - url: "http://127.0.0.1:${b.port}"
            weight: 1
    only-a:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${a.port}"
    no-pass-host:
      loadBalancer:
        passHostHeader: false
        servers:
          - url: "http://127.0.0.1:${a.port}"
    sticky:
      loadBalancer:
        sticky:
          cookie:
            name: lb
            httpOnly: true
        servers:
          - url: "http://127.0.0.1:${a.port}"
          - url: "http://127.0.0.1:${b.port}"
`,
    );
    sy = await startSwitchyard(
      [
        '--entryPoints.web.address=127.0.0.1:0',
        '--entryPoints.traefik.address=127.0.0.1:0',
        `--providers.file.filename=${dynamic}`,
        '--ping=true',
      ],
      { expectEntryPoints: ['web', 'traefik'] },
    );
    await sy.waitFor(/configuration applied.*generation=2/);
  });

  after(async () => {
    await sy?.stop();
    await a?.close();
    await b?.close();
  });

  it("answers 404 with Traefik's body when no router matches", async () => {
    const res = await request(sy.url('web', '/'), { headers: { host: 'unknown.test' } });
    assert.equal(res.status, 404);
    assert.equal(res.body, '404 page not found\n');
  });

  it('spreads requests by weight with smooth weighted round robin', async () => {
    const names: string[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await request(sy.url('web', '/'), { headers: { host: 'app.test' } });
      assert.equal(res.status, 200);
      names.push(whoamiName(res.body)!);
    }
    assert.equal(names.filter((n) => n === 'a').length, 30);
    assert.equal(names.filter((n) => n === 'b').length, 10);
    // smooth: never more than three a's in a row
    assert.ok(!names.join('').includes('aaaa'), names.join(''));
  });

  it('prefers the longer rule, strips the prefix and applies header middlewares', async () => {
    const res = await request(sy.url('web', '/api/users?x=1'), { headers: { host: 'app.test' } });
    assert.equal(res.status, 200);
    assert.match(res.body, /^GET \/users\?x=1 HTTP\/1\.1$/m);
    assert.equal(whoamiHeader(res.body, 'X-Forwarded-Prefix'), '/api');
    assert.equal(whoamiHeader(res.body, 'X-Tag'), 'tagged');
    assert.equal(res.headers['x-served-by'], 'switchyard');
  });

  it('sets X-Forwarded-* and X-Real-Ip as Traefik does, and forwards the client Host', async () => {
    const res = await request(sy.url('web', '/'), { headers: { host: 'app.test' } });
    assert.equal(whoamiHeader(res.body, 'Host'), 'app.test');
    assert.equal(whoamiHeader(res.body, 'X-Forwarded-For'), '127.0.0.1');
    assert.equal(whoamiHeader(res.body, 'X-Forwarded-Host'), 'app.test');
    assert.equal(whoamiHeader(res.body, 'X-Forwarded-Proto'), 'http');
    assert.equal(whoamiHeader(res.body, 'X-Forwarded-Port'), '80');
    assert.equal(whoamiHeader(res.body, 'X-Real-Ip'), '127.0.0.1');
    assert.ok(whoamiHeader(res.body, 'X-Forwarded-Server'));
  });

  it('sends no X-Forwarded-For when a headers middleware sets it to ""', async () => {
    const res = await request(sy.url('web', '/'), { headers: { host: 'noxff.test' } });
    assert.equal(res.status, 200);
    assert.equal(whoamiHeader(res.body, 'X-Forwarded-For'), undefined);
    assert.equal(whoamiHeader(res.body, 'X-Real-Ip'), '127.0.0.1');
  });

  it('sends header names in canonical case, as Go does', async () => {
    const res = await request(sy.url('web', '/'), { headers: { host: 'app.test', 'x-custom-thing': '1' } });
    assert.match(res.body, /^X-Forwarded-For: 127\.0\.0\.1$/m);
    assert.match(res.body, /^X-Custom-Thing: 1$/m);
  });

  it('drops X-Forwarded-* sent by an untrusted client', async () => {
    const res = await request(sy.url('web', '/'), {
      headers: { host: 'app.test', 'x-forwarded-for': '6.6.6.6', 'x-real-ip': '6.6.6.6' },
    });
    assert.equal(whoamiHeader(res.body, 'X-Forwarded-For'), '127.0.0.1');
    assert.equal(whoamiHeader(res.body, 'X-Real-Ip'), '127.0.0.1');
  });

  it('sends the server host when passHostHeader is false', async () => {
    const res = await request(sy.url('web', '/'), { headers: { host: 'nohost.test' } });
    assert.equal(whoamiHeader(res.body, 'Host'), `127.0.0.1:${a.port}`);
  });

  it('keeps a client on one server with a sticky cookie', async () => {
    const first = await request(sy.url('web', '/'), { headers: { host: 'sticky.test' } });
    const setCookie = first.headers['set-cookie']?.[0] ?? '';
    assert.match(setCookie, /^lb=[0-9a-f]{16}; Path=\/; HttpOnly/);
    const cookie = setCookie.split(';')[0]!;
    const owner = whoamiName(first.body);
    for (let i = 0; i < 6; i++) {
      const res = await request(sy.url('web', '/'), { headers: { host: 'sticky.test', cookie } });
      assert.equal(whoamiName(res.body), owner);
    }
  });

  it('answers /ping on the traefik entrypoint', async () => {
    const res = await request(sy.url('traefik', '/ping'));
    assert.equal(res.status, 200);
    assert.equal(res.body, 'OK');
  });
});
