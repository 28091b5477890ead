/**
 * PROXY protocol against a real HAProxy in both directions: HAProxy `send-proxy-v2` / `send-proxy` in
 * front of Switchyard (the client address it carries is what X-Forwarded-For, ClientIP, ipAllowList and
 * the access log see), and Switchyard's header writer in front of HAProxy `accept-proxy`. The client
 * connects from 127.0.0.2 so its address differs from HAProxy's (127.0.0.1).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { encodeProxyHeader } from '../../src/connection/proxy-protocol/index.js';
import { startBackend } from '../helpers/backends.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { type Haproxy, haproxyBinary, startHaproxy } from '../helpers/haproxy.js';
import { eventually, whoamiHeader } from '../helpers/http.js';

const noHaproxy = haproxyBinary() ? false : 'haproxy is not installed (Debian package haproxy)';

/** GET through `port` from 127.0.0.2 (over TLS with `tls`); resolves with the status and body. */
function get(port: number, host: string, tls = false): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const options = {
      host: '127.0.0.1',
      port,
      localAddress: '127.0.0.2',
      path: '/',
      headers: { host },
      agent: false,
    };
    const req = (tls ? https : http).request(
      tls ? { ...options, servername: host, rejectUnauthorized: false } : options,
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Writes `bytes` on a fresh connection and resolves with everything read until the peer closes (a reset
 * counts as closing: a peer that closes with unread bytes sends one).
 */
function exchange(port: number, bytes: Buffer[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    s.setEncoding('latin1');
    s.on('data', (c) => {
      got += c;
    });
    s.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET') reject(err);
    });
    s.on('close', () => resolve(got));
    s.on('connect', () => {
      for (const b of bytes) s.write(b);
      if (bytes.length > 0 && bytes[bytes.length - 1]!.length === 0) s.end();
    });
  });
}

describe('PROXY protocol from HAProxy in front of Switchyard', { skip: noHaproxy }, () => {
  let whoami: WhoamiServer;
  let sy: Running;
  const proxies: Haproxy[] = [];
  const accessLog = join(tempDir(), 'access.json');

  before(async () => {
    whoami = await startWhoami({ name: 'pp' });
    const dir = tempDir();
    const dynamic = writeFile(
      dir,
      'dynamic.yml',
      `
http:
  routers:
    app:
      rule: "Host(\`app.test\`)"
      service: who
    app-tls:
      rule: "Host(\`app.test\`)"
      tls: {}
      service: who
    by-client:
      rule: "Host(\`client.test\`) && ClientIP(\`127.0.0.2\`)"
      service: who
    allow:
      rule: "Host(\`allow.test\`)"
      middlewares: [only-two]
      service: who
  middlewares:
    only-two:
      ipAllowList:
        sourceRange: ["127.0.0.2/32"]
  services:
    who:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${whoami.port}"
`,
    );
    const config = writeFile(
      dir,
      'switchyard.yml',
      `
entryPoints:
  trusted:
    address: "127.0.0.1:0"
    proxyProtocol:
      trustedIPs: ["127.0.0.1/32"]
  untrusted:
    address: "127.0.0.1:0"
    proxyProtocol:
      trustedIPs: ["127.0.0.9"]
accessLog:
  filePath: ${accessLog}
  format: json
providers:
  file:
    filename: ${dynamic}
`,
    );
    sy = await startSwitchyard([`--configFile=${config}`], { expectEntryPoints: ['trusted', 'untrusted'] });
    // Generation 1 is the empty one the entrypoints start with (its HTTP side answers 404 to everything);
    // the file provider's routers arrive with generation 2.
    await sy.waitFor(/configuration applied.*generation=2\b/);
  });

  after(async () => {
    for (const p of proxies) await p.stop();
    await sy?.stop();
    await whoami?.close();
  });

  async function haproxyTo(entryPoint: string, send: string): Promise<Haproxy> {
    const target = sy.ports.get(entryPoint)!;
    const hap = await startHaproxy(
      (port) => `
frontend fe
  bind 127.0.0.1:${port}
  default_backend be
backend be
  server sy 127.0.0.1:${target} ${send}
`,
    );
    proxies.push(hap);
    return hap;
  }

  for (const send of ['send-proxy-v2', 'send-proxy']) {
    it(`${send}: the client address is the one HAProxy saw, for X-Forwarded-For, ClientIP and ipAllowList`, async () => {
      const hap = await haproxyTo('trusted', send);
      const app = await get(hap.port, 'app.test');
      assert.equal(app.status, 200);
      assert.equal(whoamiHeader(app.body, 'X-Forwarded-For'), '127.0.0.2');
      assert.equal(whoamiHeader(app.body, 'X-Real-Ip'), '127.0.0.2');
      assert.equal((await get(hap.port, 'client.test')).status, 200);
      assert.equal((await get(hap.port, 'allow.test')).status, 200);
    });
  }

  it('over TLS terminated by Switchyard too', async () => {
    const hap = await haproxyTo('trusted', 'send-proxy-v2');
    const app = await get(hap.port, 'app.test', true);
    assert.equal(app.status, 200);
    assert.equal(whoamiHeader(app.body, 'X-Forwarded-For'), '127.0.0.2');
  });

  it('the access log shows the client from the header', async () => {
    const hap = await haproxyTo('trusted', 'send-proxy-v2');
    assert.equal((await get(hap.port, 'app.test')).status, 200);
    await eventually(() => readFileSync(accessLog, 'utf8').includes('"ClientHost":"127.0.0.2"'));
  });

  it('from an untrusted sender the header is removed and ignored, and the request served', async () => {
    const hap = await haproxyTo('untrusted', 'send-proxy-v2');
    const app = await get(hap.port, 'app.test');
    assert.equal(app.status, 200);
    assert.equal(whoamiHeader(app.body, 'X-Forwarded-For'), '127.0.0.1');
    assert.equal((await get(hap.port, 'allow.test')).status, 403);
  });

  it('a connection without a header is served as it is', async () => {
    const app = await get(sy.ports.get('trusted')!, 'app.test');
    assert.equal(app.status, 200);
    assert.equal(whoamiHeader(app.body, 'X-Forwarded-For'), '127.0.0.2');
  });

  it('a lying, malformed or truncated header: one log line, the connection closed, the rest served', async () => {
    const port = sy.ports.get('trusted')!;
    const lying = encodeProxyHeader(2, { address: '192.0.2.1', port: 1 }, { address: '192.0.2.2', port: 2 });
    lying.writeUInt16BE(4, 14); // says 4 bytes of addresses for AF_INET
    const cases: [Buffer[], RegExp][] = [
      [[lying, Buffer.from('GET / HTTP/1.1\r\nHost: app.test\r\n\r\n')], /shorter than its tcp4 addresses/],
      [
        [Buffer.from('PROXY TCP4 192.0.2.1 nothere 1 2\r\nGET / HTTP/1.1\r\n\r\n')],
        /invalid address .*nothere/,
      ],
      [[Buffer.from(`PROXY TCP4 ${'9'.repeat(120)}`)], /longer than 107 bytes/],
      [[Buffer.from('PROXY TCP4 192.0.2.1 19'), Buffer.alloc(0)], /truncated header/],
    ];
    for (const [bytes, reason] of cases) {
      assert.equal(await exchange(port, bytes), '', `nothing answered for ${reason}`);
      await sy.waitFor(new RegExp(`PROXY protocol header rejected.*${reason.source}`));
    }
    assert.equal((await get(port, 'app.test')).status, 200);
  });
});

describe('Switchyard PROXY headers read by HAProxy accept-proxy', { skip: noHaproxy }, () => {
  it('v1 and v2 headers give HAProxy the client address (its X-Forwarded-For)', async () => {
    const backend = await startBackend();
    const hap = await startHaproxy(
      (port) => `
frontend fe
  mode http
  bind 127.0.0.1:${port} accept-proxy
  option forwardfor
  timeout client 30s
  default_backend be
backend be
  mode http
  server b 127.0.0.1:${backend.port}
`,
    );
    try {
      for (const version of [1, 2] as const) {
        const head = encodeProxyHeader(
          version,
          { address: '198.51.100.23', port: 40000 + version },
          { address: '192.0.2.80', port: 80 },
        );
        const req = Buffer.from(`GET /v${version} HTTP/1.1\r\nHost: b.test\r\nConnection: close\r\n\r\n`);
        const answer = await exchange(hap.port, [head, req]);
        assert.match(answer, /^HTTP\/1\.1 200/);
        const seen = backend.requests.find((r) => r.url === `/v${version}`);
        assert.equal(seen?.headers['x-forwarded-for'], '198.51.100.23');
      }
    } finally {
      await hap.stop();
      await backend.close();
    }
  });
});
