import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { createCA, issueCert, selfSignedCert } from '../helpers/certs.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { request } from '../helpers/http.js';
import {
  captureClientHello,
  exchange,
  startBanner,
  startEcho,
  startHalfClose,
  startTlsEcho,
  type TcpServer,
} from './tcp-fixture.js';

describe('TCP routers', () => {
  let echoA: TcpServer;
  let echoB: TcpServer;
  let banner: TcpServer;
  let half: TcpServer;
  let tlsBackend: TcpServer;
  let whoami: WhoamiServer;
  let sy: Running;
  let dir: string;
  let caPem: string;

  before(async () => {
    echoA = await startEcho('a');
    echoB = await startEcho('b');
    banner = await startBanner('220 smtp.test ESMTP ready');
    half = await startHalfClose();
    tlsBackend = await startTlsEcho('pass', await selfSignedCert({ dnsNames: ['pass.test'] }));
    whoami = await startWhoami({ name: 'web' });
    const ca = await createCA({ commonName: 'TCP Test CA' });
    caPem = ca.cert;
    const term = await issueCert(ca, { dnsNames: ['term.test', 'www.test'] });
    dir = tempDir();
    writeFile(dir, 'term.crt', term.cert);
    writeFile(dir, 'term.key', term.key);
    writeFile(
      dir,
      'dynamic.yml',
      `
tcp:
  routers:
    smtp:
      rule: "HostSNI(\`*\`)"
      entryPoints: [smtp]
      service: banner
    halfclose:
      rule: "HostSNI(\`*\`)"
      entryPoints: [half]
      service: half
    rr:
      rule: "HostSNI(\`*\`)"
      entryPoints: [rr]
      service: both
    passthrough:
      rule: "HostSNI(\`pass.test\`)"
      entryPoints: [mixed]
      service: tlsbackend
      tls:
        passthrough: true
    terminate:
      rule: "HostSNI(\`term.test\`) || (HostSNI(\`alpn.test\`) && ALPN(\`imap\`))"
      entryPoints: [mixed]
      service: echoa
      tls: {}
    broken:
      rule: "HostSNI(\`*\`)"
      entryPoints: [mixed]
      service: doesnotexist
    badrule:
      rule: "HostSNI(\`nossl.test\`)"
      entryPoints: [mixed]
      service: echoa
  services:
    banner:
      loadBalancer:
        servers: [{ address: "${banner.address}" }]
    half:
      loadBalancer:
        serversTransport: patient
        servers: [{ address: "${half.address}" }]
    both:
      loadBalancer:
        servers: [{ address: "${echoA.address}" }, { address: "${echoB.address}" }]
    echoa:
      loadBalancer:
        servers: [{ address: "${echoA.address}" }]
    tlsbackend:
      loadBalancer:
        servers: [{ address: "${tlsBackend.address}" }]
  serversTransports:
    patient:
      terminationDelay: -1
http:
  routers:
    web:
      rule: "Host(\`www.test\`)"
      entryPoints: [mixed]
      service: web
      tls: {}
    plain:
      rule: "PathPrefix(\`/\`)"
      entryPoints: [mixed]
      service: web
  services:
    web:
      loadBalancer:
        servers: [{ url: "http://127.0.0.1:${whoami.port}" }]
tls:
  certificates:
    - certFile: ${dir}/term.crt
      keyFile: ${dir}/term.key
`,
    );
    sy = await startSwitchyard(
      [
        '--entryPoints.smtp.address=127.0.0.1:0',
        '--entryPoints.half.address=127.0.0.1:0',
        '--entryPoints.rr.address=127.0.0.1:0',
        '--entryPoints.mixed.address=127.0.0.1:0',
        '--entryPoints.traefik.address=127.0.0.1:0',
        '--api.insecure=true',
        `--providers.file.directory=${dir}`,
        '--log.level=DEBUG',
      ],
      { expectEntryPoints: ['smtp', 'half', 'rr', 'mixed', 'traefik'] },
    );
    await sy.waitFor(/configuration applied.*generation=2/);
  });

  after(async () => {
    await sy?.stop();
    for (const s of [echoA, echoB, banner, half, tlsBackend]) await s?.close();
    await whoami?.close();
  });

  const port = (ep: string) => sy.ports.get(ep)!;

  it('serves a server-first protocol behind HostSNI(*) without waiting for the client', async () => {
    const r = await exchange(port('smtp'), undefined, { until: (d) => d.includes('\r\n') });
    assert.equal(r.data, '220 smtp.test ESMTP ready\r\n');
    const r2 = await exchange(port('smtp'), 'EHLO me\r\n', { until: (d) => d.includes('250') });
    assert.match(r2.data, /^220 smtp\.test ESMTP ready\r\n250 EHLO me\r\n$/);
  });

  it('honours half-close: the backend answers after the client has sent its FIN', async () => {
    const r = await exchange(port('half'), 'x'.repeat(100_000), { end: true });
    assert.equal(r.data, 'got 100000 bytes');
    assert.equal(r.closed, true);
  });

  it('balances connections round robin over the servers', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await exchange(port('rr'), 'hi', { until: (d) => d.endsWith('hi') });
      seen.push(r.data);
    }
    assert.deepEqual(new Set(seen), new Set(['a:hi', 'b:hi']));
    assert.equal(seen.filter((s) => s === 'a:hi').length, 2);
  });

  it('passes TLS through by SNI: the client sees the backend certificate', async () => {
    const r = await exchange(port('mixed'), 'hello', {
      tls: { servername: 'pass.test' },
      until: (d) => d.endsWith('hello'),
    });
    assert.equal(r.data, 'pass:hello');
  });

  it('terminates TLS for a TCP router and forwards plain bytes', async () => {
    const r = await exchange(port('mixed'), 'secret', {
      tls: { servername: 'term.test', ca: caPem, rejectUnauthorized: true },
      until: (d) => d.endsWith('secret'),
    });
    assert.equal(r.error, undefined);
    assert.equal(r.data, 'a:secret');
  });

  it('matches ALPN with && and ||, and leaves other SNI names to HTTPS routers', async () => {
    const alpn = await exchange(port('mixed'), 'x', {
      tls: { servername: 'alpn.test', ALPNProtocols: ['imap'] },
      until: (d) => d.endsWith('x'),
    });
    assert.equal(alpn.data, 'a:x');
    const https = await request(`https://127.0.0.1:${port('mixed')}/`, {
      servername: 'www.test',
      ca: caPem,
      headers: { host: 'www.test' },
    });
    assert.equal(https.status, 200);
    assert.match(https.body, /Name: web/);
  });

  it('serves plain HTTP on the entrypoint that also has TCP routers', async () => {
    const res = await request(`http://127.0.0.1:${port('mixed')}/`);
    assert.equal(res.status, 200);
    assert.match(res.body, /Name: web/);
  });

  it('disables a broken TCP router with its error and serves the rest', async () => {
    const res = await request(`http://127.0.0.1:${port('traefik')}/api/tcp/routers`);
    const routers = JSON.parse(res.body) as { name: string; status: string; error?: string[] }[];
    const byName = new Map(routers.map((r) => [r.name, r]));
    assert.equal(byName.get('broken@file')?.status, 'disabled');
    assert.match(byName.get('broken@file')?.error?.[0] ?? '', /doesnotexist@file/);
    assert.equal(byName.get('badrule@file')?.status, 'disabled');
    assert.match(byName.get('badrule@file')?.error?.[0] ?? '', /has HostSNI matcher, but no TLS on router/);
    assert.equal(byName.get('terminate@file')?.status, 'enabled');
  });

  it('closes garbage on the TLS record layer and keeps serving', async () => {
    const garbage = Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x02, 0, 0, 1, 0]);
    const r = await exchange(port('mixed'), garbage);
    assert.equal(r.closed, true);
    assert.equal(r.data, '');
    await sy.waitFor(/connection closed: not a ClientHello/);
    const ok = await request(`http://127.0.0.1:${port('mixed')}/`);
    assert.equal(ok.status, 200);
  });

  it('reads a ClientHello split into one-byte segments', async () => {
    const r = await new Promise<string>((resolve, reject) => {
      const raw = net.connect(port('mixed'), '127.0.0.1');
      raw.setNoDelay(true);
      // Capture a real ClientHello from a TLS client writing into a local pair, then dribble it.
      raw.on('connect', async () => {
        const hello = await captureClientHello('term.test');
        for (const byte of hello) {
          raw.write(Buffer.from([byte]));
          await new Promise((r) => setImmediate(r));
        }
      });
      let got = Buffer.alloc(0);
      raw.on('data', (c: Buffer) => {
        got = Buffer.concat([got, c]);
        // A ServerHello came back: the dispatcher routed the dribbled ClientHello to TLS termination.
        if (got.length >= 5 && got[0] === 0x16) {
          raw.destroy();
          resolve('server hello');
        }
      });
      raw.on('error', reject);
      raw.on('close', () => resolve(got.length ? `got ${got[0]}` : 'closed'));
    });
    assert.equal(r, 'server hello');
  });
});
