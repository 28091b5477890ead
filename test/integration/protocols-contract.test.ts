import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { ClientHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { ConfigProvider, type Switchyard, start } from '../../src/index.js';
import { refusedUrl } from '../helpers/backends.js';
import { h2Connect, h2Request } from '../helpers/h2-client.js';

/*
 * The middleware and service contract, run over both downstream protocols: every case sends the same
 * request as an HTTP/1.1 client and as an HTTP/2 (h2c) client and expects the same answer (issue 12).
 */

type Protocol = 'HTTP/1.1' | 'HTTP/2';
interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}
interface Send {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

let mirrored = 0;
const hits: Record<string, number> = {};

/** The backend: echoes what it received as JSON; a few paths answer otherwise. */
function backend(name: string) {
  return http.createServer((req, res) => {
    hits[name] = (hits[name] ?? 0) + 1;
    if (name === 'mirror') mirrored++;
    const hash = createHash('sha256');
    let size = 0;
    req.on('data', (c: Buffer) => {
      hash.update(c);
      size += c.length;
    });
    req.on('end', () => {
      const url = req.url ?? '/';
      if (url.endsWith('/fail')) {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('backend failure');
        return;
      }
      if (url.startsWith('/error-page')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`custom error page for ${url}`);
        return;
      }
      const body = JSON.stringify({
        name,
        method: req.method,
        url,
        headers: req.headers,
        bodySha: hash.digest('hex'),
        bodySize: size,
        pad: url.endsWith('/big') ? 'x'.repeat(20_000) : '',
      });
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend': name });
      res.end(body);
    });
  });
}

const servers: http.Server[] = [];
async function listen(name: string): Promise<string> {
  const s = backend(name);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

let sy: Switchyard;
let session: ClientHttp2Session;
let port = 0;

before(async () => {
  const [a, b, mirror, pages] = await Promise.all([
    listen('a'),
    listen('b'),
    listen('mirror'),
    listen('pages'),
  ]);
  const dead = await refusedUrl();
  const routes = new ConfigProvider('app');
  const route = (prefix: string, service: string, middlewares: string[] = []) => ({
    rule: `PathPrefix(\`${prefix}\`)`,
    service,
    middlewares,
  });
  routes.set({
    http: {
      routers: {
        headers: route('/headers', 'a', ['hdr']),
        strip: route('/api', 'a', ['strip']),
        auth: route('/auth', 'a', ['auth']),
        scheme: route('/scheme', 'a', ['toHttps']),
        regex: route('/old', 'a', ['moved']),
        gzip: route('/gzip', 'a', ['gzip']),
        limited: route('/limited', 'a', ['limit']),
        retried: route('/retried', 'withDead', ['retry']),
        errors: route('/errors', 'a', ['pages']),
        lb: route('/lb', 'ab'),
        weighted: route('/weighted', 'split'),
        mirrored: route('/mirrored', 'copy'),
        body: route('/body', 'a'),
      },
      middlewares: {
        hdr: {
          headers: { customRequestHeaders: { 'X-Added': 'yes' }, customResponseHeaders: { 'X-Resp': 'set' } },
        },
        strip: { stripPrefix: { prefixes: ['/api'] } },
        // user:password
        auth: { basicAuth: { users: ['user:$apr1$vfY/c5kH$H87CMFVO.ism94eBGN91r0'] } },
        toHttps: { redirectScheme: { scheme: 'https', permanent: true } },
        moved: { redirectRegex: { regex: '^http://([^/]+)/old/(.*)', replacement: 'http://$1/new/$2' } },
        gzip: { compress: {} },
        limit: {
          rateLimit: {
            average: 1,
            period: '1h',
            burst: 1,
            sourceCriterion: { requestHeaderName: 'X-Client' },
          },
        },
        retry: { retry: { attempts: 3 } },
        pages: { errors: { status: ['500-599'], service: 'pages', query: '/error-page/{status}' } },
      },
      services: {
        a: { loadBalancer: { servers: [{ url: a }] } },
        ab: { loadBalancer: { servers: [{ url: a }, { url: b }] } },
        withDead: { loadBalancer: { servers: [{ url: dead }, { url: b }] } },
        pages: { loadBalancer: { servers: [{ url: pages }] } },
        onlyA: { loadBalancer: { servers: [{ url: a }] } },
        onlyB: { loadBalancer: { servers: [{ url: b }] } },
        split: {
          weighted: {
            services: [
              { name: 'onlyA', weight: 1 },
              { name: 'onlyB', weight: 1 },
            ],
          },
        },
        mirrorSvc: { loadBalancer: { servers: [{ url: mirror }] } },
        copy: { mirroring: { service: 'onlyA', mirrors: [{ name: 'mirrorSvc', percent: 100 }] } },
      },
    },
  });
  sy = await start({
    static: {
      entryPoints: { web: { address: '127.0.0.1:0', http2: { maxConcurrentStreams: 100 } } },
      providers: { providersThrottleDuration: '0s' },
      log: { level: 'ERROR' },
    },
    providers: [routes],
  });
  await sy.configured((rt) => rt.routers['body@app']?.status === 'enabled');
  port = Number(new URL(sy.url('web')).port);
  session = await h2Connect(`http://127.0.0.1:${port}`);
});

after(async () => {
  session?.destroy();
  await sy?.stop();
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

function send(protocol: Protocol, path: string, init: Send = {}): Promise<Reply> {
  if (protocol === 'HTTP/2') {
    return h2Request(
      session,
      { ':method': init.method ?? 'GET', ':path': path, ':authority': 'contract.test', ...init.headers },
      init.body,
    ).then((r) => {
      assert.equal(r.error, undefined, `stream failed: ${r.error}`);
      return { status: r.status, headers: r.headers as Reply['headers'], body: r.body };
    });
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: init.method ?? 'GET',
        headers: { host: 'contract.test', ...init.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('no answer')));
    req.on('error', reject);
    req.end(init.body);
  });
}

const json = (r: Reply) =>
  JSON.parse(r.body.toString()) as Record<string, unknown> & { headers: Record<string, string> };

it('the entrypoint http2 section reaches the HTTP/2 SETTINGS', () => {
  assert.equal(session.remoteSettings.maxConcurrentStreams, 100);
});

for (const protocol of ['HTTP/1.1', 'HTTP/2'] as const) {
  describe(`middlewares and services over ${protocol}`, () => {
    it('headers: request and response headers added', async () => {
      const r = await send(protocol, '/headers/x');
      assert.equal(r.status, 200);
      assert.equal(json(r).headers['x-added'], 'yes');
      assert.equal(r.headers['x-resp'], 'set');
      assert.equal(json(r).headers.host, 'contract.test', 'the authority reaches the server as Host');
    });

    it('stripPrefix', async () => {
      assert.equal(json(await send(protocol, '/api/users?id=7')).url, '/users?id=7');
    });

    it('basicAuth', async () => {
      const denied = await send(protocol, '/auth/x');
      assert.equal(denied.status, 401);
      assert.match(String(denied.headers['www-authenticate']), /^Basic realm=/);
      const ok = await send(protocol, '/auth/x', {
        headers: { authorization: `Basic ${Buffer.from('user:password').toString('base64')}` },
      });
      assert.equal(ok.status, 200);
    });

    it('redirectScheme and redirectRegex', async () => {
      const scheme = await send(protocol, '/scheme/p?q=1');
      assert.equal(scheme.status, 301);
      assert.equal(scheme.headers.location, 'https://contract.test/scheme/p?q=1');
      const regex = await send(protocol, '/old/page');
      assert.equal(regex.status, 302);
      assert.equal(regex.headers.location, 'http://contract.test/new/page');
    });

    it('compress', async () => {
      const r = await send(protocol, '/gzip/big', { headers: { 'accept-encoding': 'gzip' } });
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-encoding'], 'gzip');
      assert.equal(JSON.parse(gunzipSync(r.body).toString()).url, '/gzip/big');
    });

    it('rateLimit', async () => {
      const path = `/limited/${protocol === 'HTTP/2' ? 'h2' : 'h1'}`;
      const headers = { 'x-client': protocol };
      assert.equal((await send(protocol, path, { headers })).status, 200);
      assert.equal((await send(protocol, path, { headers })).status, 429);
    });

    it('retry: a dead server is retried on the next one', async () => {
      for (let i = 0; i < 4; i++) assert.equal((await send(protocol, '/retried/x')).status, 200);
    });

    it('errors: a 5xx from the server gets the error page', async () => {
      const r = await send(protocol, '/errors/fail');
      assert.equal(r.status, 503);
      assert.equal(r.body.toString(), 'custom error page for /error-page/503');
    });

    it('loadBalancer and weighted reach every server', async () => {
      for (const path of ['/lb/x', '/weighted/x']) {
        const names = new Set<unknown>();
        for (let i = 0; i < 6; i++) names.add(json(await send(protocol, path)).name);
        assert.deepEqual([...names].sort(), ['a', 'b'], path);
      }
    });

    it('mirroring sends a copy to the mirror', async () => {
      const before = mirrored;
      assert.equal(
        (await send(protocol, '/mirrored/x', { method: 'POST', body: Buffer.from('copy me') })).status,
        200,
      );
      for (let i = 0; i < 500 && mirrored === before; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(mirrored, before + 1);
    });

    it('a request body reaches the server intact', async () => {
      const body = Buffer.alloc(200_000, 3);
      const r = json(await send(protocol, '/body/x', { method: 'PUT', body }));
      assert.equal(r.bodySize, body.length);
      assert.equal(r.bodySha, createHash('sha256').update(body).digest('hex'));
    });
  });
}
