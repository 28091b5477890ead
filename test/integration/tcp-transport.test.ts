/**
 * TCP serversTransport for real: PROXY headers (v1, v2, Traefik's `{}` = v2, the deprecated
 * loadBalancer.proxyProtocol) read by HAProxy `accept-proxy` behind Switchyard, also inside TLS to the
 * server; TLS to servers checked against a CA; dialKeepAlive seen by `ss`; terminationDelay ending a
 * connection whose server never closes. The client connects from 127.0.0.2 so that its address differs
 * from Switchyard's own (127.0.0.1), which is what HAProxy would see without a header.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { encodeProxyHeader } from '../../src/connection/proxy-protocol/index.js';
import { type Backend, startBackend } from '../helpers/backends.js';
import { createCA, issueCert } from '../helpers/certs.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { type Haproxy, haproxyBinary, startHaproxy } from '../helpers/haproxy.js';
import { request } from '../helpers/http.js';
import { exchange, startDeaf, startEcho, startTlsEcho, type TcpServer } from './tcp-fixture.js';

const noHaproxy = haproxyBinary() ? false : 'haproxy is not installed (Debian package haproxy)';

/** An agent whose connections start with `head` (node uses `createConnection` from an agent only). */
function agentWriting(head: Buffer): http.Agent {
  const agent = new http.Agent();
  agent.createConnection = (opts: net.NetConnectOpts) => {
    const s = net.connect(opts);
    s.write(head);
    return s;
  };
  return agent;
}

/** GET `path` through a TCP entrypoint from 127.0.0.2; `head` is written first (a PROXY header). */
function get(port: number, path: string, head?: Buffer) {
  return request(`http://127.0.0.1:${port}${path}`, {
    localAddress: '127.0.0.2',
    agent: head ? agentWriting(head) : false,
    headers: { host: 'b.test', connection: 'close' },
  });
}

describe('TCP serversTransport', { skip: noHaproxy }, () => {
  let backend: Backend;
  let hap: Haproxy;
  let hapTls: Haproxy;
  let echo: TcpServer;
  let deaf: TcpServer;
  let strange: TcpServer;
  let picky: TcpServer;
  let sy: Running;

  before(async () => {
    const dir = tempDir();
    const ca = await createCA({ commonName: 'Transport CA' });
    const other = await createCA({ commonName: 'Other CA' });
    const leaf = await issueCert(ca, { dnsNames: ['backend.test'] });
    writeFile(dir, 'ca.pem', ca.cert);
    writeFile(dir, 'other.pem', other.cert);
    writeFile(dir, 'haproxy.pem', `${leaf.cert}\n${leaf.key}\n`);
    backend = await startBackend();
    const httpFront = (bind: string) => (port: number) =>
      `
frontend fe
  mode http
  bind 127.0.0.1:${port} ${bind}
  option forwardfor
  default_backend be
backend be
  mode http
  server b 127.0.0.1:${backend.port}
`;
    hap = await startHaproxy(httpFront('accept-proxy'));
    hapTls = await startHaproxy(httpFront(`accept-proxy ssl crt ${dir}/haproxy.pem`));
    echo = await startEcho('echo');
    deaf = await startDeaf();
    strange = await startTlsEcho('strange', await issueCert(other, { dnsNames: ['backend.test'] }));
    // Wants a client certificate from the transport CA.
    picky = await startTlsEcho('picky', leaf, { requestCert: true, rejectUnauthorized: true, ca: ca.cert });
    const client = await issueCert(ca, { dnsNames: ['switchyard.test'] });
    writeFile(dir, 'client.crt', client.cert);
    writeFile(dir, 'client.key', client.key);
    const router = (ep: string, service: string) => `
    ${ep}:
      rule: "HostSNI(\`*\`)"
      entryPoints: [${ep}]
      service: ${service}`;
    const dynamic = writeFile(
      dir,
      'dynamic.yml',
      `
tcp:
  routers:${router('v1', 'hap-v1')}${router('v2', 'hap-v2')}${router('legacy', 'hap-legacy')}${router('trusted', 'hap-v2')}${router('tlsback', 'hap-tls')}${router('badca', 'strange')}${router('keep', 'keep')}${router('nokeep', 'nokeep')}${router('delay', 'deaf')}${router('badversion', 'badversion')}${router('mtls', 'picky-mtls')}${router('nocert', 'picky-nocert')}
  services:
    hap-v1:
      loadBalancer:
        serversTransport: pp1
        servers: [{ address: "127.0.0.1:${hap.port}" }]
    hap-v2:
      loadBalancer:
        serversTransport: pp2
        servers: [{ address: "127.0.0.1:${hap.port}" }]
    hap-legacy:
      loadBalancer:
        proxyProtocol: {}
        servers: [{ address: "127.0.0.1:${hap.port}" }]
    hap-tls:
      loadBalancer:
        serversTransport: pptls
        servers: [{ address: "127.0.0.1:${hapTls.port}", tls: true }]
    strange:
      loadBalancer:
        serversTransport: ca
        servers: [{ address: "${strange.address}", tls: true }]
    picky-mtls:
      loadBalancer:
        serversTransport: mtls
        servers: [{ address: "${picky.address}", tls: true }]
    picky-nocert:
      loadBalancer:
        serversTransport: ca
        servers: [{ address: "${picky.address}", tls: true }]
    keep:
      loadBalancer:
        serversTransport: keep7
        servers: [{ address: "${echo.address}" }]
    nokeep:
      loadBalancer:
        serversTransport: nokeep
        servers: [{ address: "${echo.address}" }]
    deaf:
      loadBalancer:
        serversTransport: quick
        servers: [{ address: "${deaf.address}" }]
    badversion:
      loadBalancer:
        serversTransport: pp3
        servers: [{ address: "${echo.address}" }]
  serversTransports:
    pp1:
      proxyProtocol: { version: 1 }
    pp2:
      proxyProtocol: { version: 2 }
    pp3:
      proxyProtocol: { version: 3 }
    pptls:
      proxyProtocol: {}
      tls:
        serverName: backend.test
        rootCAs: ["${dir}/ca.pem"]
    ca:
      tls:
        serverName: backend.test
        rootCAs: ["${dir}/ca.pem"]
    mtls:
      tls:
        serverName: backend.test
        rootCAs: ["${dir}/ca.pem"]
        certificates:
          - certFile: ${dir}/client.crt
            keyFile: ${dir}/client.key
    keep7:
      dialKeepAlive: 7s
    nokeep:
      dialKeepAlive: -1s
    quick:
      terminationDelay: 50ms
`,
    );
    const eps = [
      'v1',
      'v2',
      'legacy',
      'trusted',
      'tlsback',
      'badca',
      'keep',
      'nokeep',
      'delay',
      'badversion',
      'mtls',
      'nocert',
    ];
    const config = writeFile(
      dir,
      'switchyard.yml',
      `
entryPoints:
${eps.map((ep) => `  ${ep}:\n    address: "127.0.0.1:0"`).join('\n')}
  traefik:
    address: "127.0.0.1:0"
api:
  insecure: true
providers:
  file:
    filename: ${dynamic}
`.replace(
        '  trusted:\n    address: "127.0.0.1:0"',
        '  trusted:\n    address: "127.0.0.1:0"\n    proxyProtocol:\n      trustedIPs: ["127.0.0.2/32"]',
      ),
    );
    sy = await startSwitchyard([`--configFile=${config}`], { expectEntryPoints: [...eps, 'traefik'] });
    // Generation 1 is the empty one the entrypoints start with (its HTTP side answers 404 to everything);
    // the file provider's routers arrive with generation 2.
    await sy.waitFor(/configuration applied.*generation=2\b/);
  });

  after(async () => {
    await sy?.stop();
    await hap?.stop();
    await hapTls?.stop();
    for (const s of [echo, deaf, strange, picky]) await s?.close();
    await backend?.close();
  });

  const port = (ep: string) => sy.ports.get(ep)!;
  const forwardedFor = (path: string) =>
    backend.requests.find((r) => r.url === path)?.headers['x-forwarded-for'];

  for (const ep of ['v1', 'v2', 'legacy']) {
    it(`${ep}: HAProxy accept-proxy sees the real client in the PROXY header`, async () => {
      const res = await get(port(ep), `/${ep}`);
      assert.equal(res.status, 200);
      assert.equal(forwardedFor(`/${ep}`), '127.0.0.2');
    });
  }

  it('passes on the client of a trusted incoming PROXY header', async () => {
    const head = encodeProxyHeader(
      1,
      { address: '198.51.100.7', port: 4242 },
      { address: '192.0.2.1', port: 25 },
    );
    const res = await get(port('trusted'), '/trusted', head);
    assert.equal(res.status, 200);
    assert.equal(forwardedFor('/trusted'), '198.51.100.7');
  });

  it('sends the PROXY header before TLS, to a server whose certificate the transport CA signed', async () => {
    const res = await get(port('tlsback'), '/tls');
    assert.equal(res.status, 200);
    assert.equal(forwardedFor('/tls'), '127.0.0.2');
  });

  it('refuses a server certificate from another CA: the client is closed, the reason logged', async () => {
    const r = await exchange(port('badca'), 'hi');
    assert.equal(r.closed, true);
    assert.equal(r.data, '');
    await sy.waitFor(/error while dialing backend.*certificate/);
  });

  it('presents the transport client certificate to a server that requires one', async () => {
    const ok = await exchange(port('mtls'), 'hi', { until: (d) => d.endsWith('hi') });
    assert.equal(ok.data, 'picky:hi');
    const refused = await exchange(port('nocert'), 'hi');
    assert.equal(refused.data, '');
    assert.equal(refused.closed, true);
  });

  it('dialKeepAlive sets the keep-alive probes of server connections (ss shows them), -1s none', async () => {
    for (const [ep, expectKeepalive] of [
      ['keep', true],
      ['nokeep', false],
    ] as const) {
      const socket = net.connect(port(ep), '127.0.0.1');
      try {
        await new Promise<void>((resolve) => socket.once('data', () => resolve()));
        const out = execFileSync('ss', ['-tnoH', 'state', 'established', 'dst', echo.address], {
          encoding: 'utf8',
        });
        const timers = [...out.matchAll(/timer:\(keepalive,([\d.]+)(m?s|sec|min)/g)];
        if (!expectKeepalive) {
          assert.equal(timers.length, 0, out);
          continue;
        }
        assert.equal(timers.length, 1, out);
        const [, value, unit] = timers[0]!;
        const seconds =
          unit === 'min' ? Number(value) * 60 : unit === 'ms' ? Number(value) / 1000 : Number(value);
        assert.ok(seconds <= 7, `keep-alive idle ${seconds}s, want at most 7s: ${out}`);
      } finally {
        socket.destroy();
        await new Promise((r) => socket.once('close', r));
      }
    }
  });

  it('terminationDelay closes both sides once the client has ended, though the server never does', async () => {
    const r = await exchange(port('delay'), 'bye', { end: true, until: () => false });
    assert.equal(r.data, 'hello');
    assert.equal(r.closed, true);
  });

  it('a proxyProtocol version other than 1 or 2 disables the service with its error', async () => {
    const res = await request(`http://127.0.0.1:${port('traefik')}/api/tcp/services/badversion@file`);
    const svc = JSON.parse(res.body) as { status: string; error?: string[] };
    assert.equal(svc.status, 'disabled');
    assert.match(svc.error?.[0] ?? '', /unknown proxyProtocol version: 3/);
  });
});
