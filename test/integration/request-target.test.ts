import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Backend, startBackend } from '../helpers/backends.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { exchangeBytes } from './tcp-fixture.js';

/** A response read off a raw socket: the status, the headers (lower-case names) and the body. */
interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes `bytes` on a fresh connection and reads until the server closes it (every request here either
 * says `Connection: close` or is refused, which closes). Bounded: a connection still open after 10 s
 * fails the test.
 */
async function rawExchange(port: number, bytes: string): Promise<RawResponse> {
  const got = await exchangeBytes(port, bytes);
  const data = got.data.toString('latin1');
  if (got.error) throw new Error(`${got.error}; received ${JSON.stringify(data)}`);
  if (!got.closed) throw new Error(`no close within 10 s; received ${JSON.stringify(data)}`);
  const end = data.indexOf('\r\n\r\n');
  const head = (end === -1 ? data : data.slice(0, end)).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: end === -1 ? '' : data.slice(end + 4) };
}

describe('request targets and hosts as Go reads them (absolute form, refused requests)', () => {
  let backend: Backend;
  let sy: Running;
  let port: number;

  before(async () => {
    backend = await startBackend((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ url: req.url, host: req.headers.host ?? null }));
    });
    const dir = tempDir();
    const dynamic = writeFile(
      dir,
      'dynamic.yml',
      `
http:
  routers:
    admin:
      rule: "PathPrefix(\`/admin\`)"
      middlewares: [only-lan]
      service: s
    by-host:
      rule: "Host(\`example.test\`) && PathPrefix(\`/h\`)"
      service: s
    redirected:
      rule: "Host(\`old.test\`)"
      middlewares: [move]
      service: s
    to-https:
      rule: "Host(\`plain.test\`)"
      middlewares: [tls-only]
      service: s
    everything:
      rule: "PathPrefix(\`/\`)"
      priority: 1
      service: s
  middlewares:
    only-lan:
      ipAllowList:
        sourceRange: ["10.0.0.0/8"]
    move:
      redirectRegex:
        regex: "^http://old\\\\.test(:[0-9]+)?/(.*)"
        replacement: "https://new.test/\${2}"
    tls-only:
      redirectScheme:
        scheme: https
  services:
    s:
      loadBalancer:
        servers:
          - url: "${backend.url}"
`,
    );
    const config = writeFile(
      dir,
      'switchyard.yml',
      `
entryPoints:
  web:
    address: "127.0.0.1:0"
providers:
  file:
    filename: ${dynamic}
`,
    );
    sy = await startSwitchyard([`--configFile=${config}`], { expectEntryPoints: ['web'] });
    await sy.waitFor(/configuration applied.*generation=2/);
    port = sy.ports.get('web')!;
  });

  after(async () => {
    await sy?.stop();
    await backend?.close();
  });

  const get = (target: string, headers: string) =>
    rawExchange(port, `GET ${target} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`);

  it('routes an absolute-form target by its path: the guarded /admin router answers 403', async () => {
    const before = backend.requests.length;
    const origin = await get('/admin/x', 'Host: app.test\r\n');
    assert.equal(origin.status, 403);
    const absolute = await get('http://app.test/admin/x', 'Host: app.test\r\n');
    assert.equal(absolute.status, 403, 'the absolute form must not skip the /admin router');
    const otherHost = await get('http://app.test/admin/x', 'Host: somewhere.test\r\n');
    assert.equal(otherHost.status, 403);
    assert.equal(backend.requests.length, before, 'the backend received nothing');
  });

  it("routes on the URL's host, ignoring the Host header, and forwards the origin form", async () => {
    const res = await get('http://Example.test:8080/h/x?q=1', 'Host: ignored.test\r\n');
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { url: '/h/x?q=1', host: 'Example.test:8080' });
    const bare = await get('http://example.test', 'Host: ignored.test\r\n');
    assert.equal(bare.status, 200);
    assert.deepEqual(JSON.parse(bare.body), { url: '/', host: 'example.test' });
  });

  it('redirectRegex and redirectScheme see the URL of an absolute-form target', async () => {
    const moved = await get('http://old.test/a/b?c=d', 'Host: ignored.test\r\n');
    assert.equal(moved.status, 302);
    assert.equal(moved.headers.location, 'https://new.test/a/b?c=d');
    const upgraded = await get('http://plain.test:8080/p', 'Host: ignored.test\r\n');
    assert.equal(upgraded.status, 302);
    assert.equal(upgraded.headers.location, 'https://plain.test/p');
    // Traefik takes the scheme of an absolute target as the request's: an https URL is not redirected.
    const already = await get('https://plain.test/p', 'Host: plain.test\r\n');
    assert.equal(already.status, 200);
  });

  const refused: [string, string, number][] = [
    ['two equal Host lines', 'GET / HTTP/1.1\r\nHost: app.test\r\nHost: app.test\r\n', 400],
    ['two different Host lines', 'GET / HTTP/1.1\r\nHost: app.test\r\nHost: other.test\r\n', 400],
    ['a Host with a space', 'GET / HTTP/1.1\r\nHost: app test\r\n', 400],
    ['a Host with a slash', 'GET / HTTP/1.1\r\nHost: app.test/x\r\n', 400],
    ['a Host with a userinfo', 'GET / HTTP/1.1\r\nHost: user@app.test\r\n', 400],
    ['HTTP/2.0 in an HTTP/1 request line', 'GET / HTTP/2.0\r\nHost: app.test\r\n', 505],
    ['a broken escape in the path', 'GET /a%zz HTTP/1.1\r\nHost: app.test\r\n', 400],
    ['a target that is not a path', 'GET app.test/x HTTP/1.1\r\nHost: app.test\r\n', 400],
    ['an absolute target with a bad host', 'GET http://a b/x HTTP/1.1\r\nHost: app.test\r\n', 400],
    ['an absolute target with a bad port', 'GET http://app.test:8x/ HTTP/1.1\r\nHost: app.test\r\n', 400],
  ];
  for (const [name, head, status] of refused) {
    it(`answers ${status} to ${name} and forwards nothing`, async () => {
      const before = backend.requests.length;
      // A second request follows on the same connection: it must not be read after the refusal.
      const res = await rawExchange(
        port,
        `${head}\r\nGET /second HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n`,
      );
      assert.equal(res.status, status, res.body);
      assert.equal(res.headers.connection, 'close');
      assert.equal(backend.requests.length, before, 'the backend received nothing');
      const ok = await get('/after', 'Host: app.test\r\n');
      assert.equal(ok.status, 200);
      assert.equal(backend.requests.length, before + 1);
    });
  }

  it('serves what Go serves: an empty Host, an encoded NUL, an absolute target with userinfo', async () => {
    const empty = await get('/e', 'Host:\r\n');
    assert.equal(empty.status, 200);
    // Go forwards an empty Host as the server's address, as when passHostHeader is false.
    assert.deepEqual(JSON.parse(empty.body), { url: '/e', host: backend.url.slice('http://'.length) });
    const nul = await get('/n%00ul', 'Host: app.test\r\n');
    assert.equal(nul.status, 200);
    assert.equal(JSON.parse(nul.body).url, '/n%00ul');
    const user = await get('http://me@example.test/h', 'Host: ignored.test\r\n');
    assert.deepEqual(JSON.parse(user.body), { url: '/h', host: 'example.test' });
  });
});
