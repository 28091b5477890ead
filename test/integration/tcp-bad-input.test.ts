/**
 * Bad input on TCP entrypoints, end to end against the real CLI: a truncated ClientHello (ended, or just
 * stopped), an oversized one, bytes that are not a ClientHello, PROXY headers that lie or are cut short.
 * Each gives one log line naming the problem, the connection closed, and the process keeps serving (a
 * normal request and a normal TCP exchange work afterwards).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { encodeProxyHeader } from '../../src/connection/proxy-protocol/index.js';
import { selfSignedCert } from '../helpers/certs.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { request } from '../helpers/http.js';
import { captureClientHello, exchange, startEcho, startTlsEcho, type TcpServer } from './tcp-fixture.js';

describe('bad input on TCP entrypoints', () => {
  let echo: TcpServer;
  let tlsEcho: TcpServer;
  let whoami: WhoamiServer;
  let sy: Running;

  before(async () => {
    echo = await startEcho('echo');
    tlsEcho = await startTlsEcho('pass', await selfSignedCert({ dnsNames: ['pass.test'] }));
    whoami = await startWhoami({ name: 'web' });
    const dir = tempDir();
    writeFile(
      dir,
      'dynamic.yml',
      `
tcp:
  routers:
    pass:
      rule: "HostSNI(\`pass.test\`)"
      entryPoints: [mixed]
      tls: { passthrough: true }
      service: tlsecho
    behind:
      rule: "HostSNI(\`*\`)"
      entryPoints: [pp]
      service: echo
  services:
    tlsecho:
      loadBalancer: { servers: [{ address: "${tlsEcho.address}" }] }
    echo:
      loadBalancer: { servers: [{ address: "${echo.address}" }] }
http:
  routers:
    web:
      rule: "PathPrefix(\`/\`)"
      entryPoints: [mixed]
      service: web
  services:
    web:
      loadBalancer: { servers: [{ url: "http://127.0.0.1:${whoami.port}" }] }
`,
    );
    sy = await startSwitchyard(
      [
        '--entryPoints.mixed.address=127.0.0.1:0',
        '--entryPoints.mixed.transport.respondingTimeouts.readTimeout=500ms',
        '--entryPoints.pp.address=127.0.0.1:0',
        '--entryPoints.pp.proxyProtocol.trustedIPs=127.0.0.1/32',
        '--entryPoints.pp.transport.respondingTimeouts.readTimeout=500ms',
        `--providers.file.directory=${dir}`,
        '--log.level=DEBUG',
      ],
      { expectEntryPoints: ['mixed', 'pp'] },
    );
    await sy.waitFor(/configuration applied.*generation=2/);
  });

  after(async () => {
    await sy?.stop();
    for (const s of [echo, tlsEcho]) await s?.close();
    await whoami?.close();
  });

  const port = (ep: string) => sy.ports.get(ep)!;

  /** Still serving: plain HTTP and TLS passthrough on `mixed`, a TCP exchange behind a PROXY header on `pp`. */
  async function stillServing() {
    assert.equal((await request(`http://127.0.0.1:${port('mixed')}/`)).status, 200);
    const passed = await exchange(port('mixed'), 'hi', {
      tls: { servername: 'pass.test' },
      until: (d) => d.endsWith('hi'),
    });
    assert.equal(passed.data, 'pass:hi');
    const head = encodeProxyHeader(
      2,
      { address: '198.51.100.1', port: 1 },
      { address: '192.0.2.1', port: 2 },
    );
    const behind = await exchange(port('pp'), Buffer.concat([head, Buffer.from('ok')]), {
      until: (d) => d.endsWith('ok'),
    });
    assert.equal(behind.data, 'echo:ok');
  }

  it('a ClientHello cut short by the client FIN', async () => {
    const hello = await captureClientHello('pass.test');
    const r = await exchange(port('mixed'), hello.subarray(0, hello.length >> 1), { end: true });
    assert.deepEqual([r.data, r.closed], ['', true]);
    await sy.waitFor(/connection closed: truncated ClientHello/);
    await stillServing();
  });

  it('a ClientHello that stops half way: closed after readTimeout', async () => {
    const hello = await captureClientHello('pass.test');
    const r = await exchange(port('mixed'), hello.subarray(0, 20));
    assert.deepEqual([r.data, r.closed], ['', true]);
    await sy.waitFor(/nothing routable received within readTimeout.*entryPoint=mixed/);
    await stillServing();
  });

  it('an oversized ClientHello', async () => {
    // One full-size record announcing a 128 KiB ClientHello (Go, and Switchyard, stop at 64 KiB).
    const record = Buffer.alloc(5 + 16_384);
    record.set([0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x02, 0x00, 0x00]);
    const r = await exchange(port('mixed'), record);
    assert.equal(r.data, '');
    assert.equal(r.closed, true);
    await sy.waitFor(/connection closed: ClientHello too large/);
    await stillServing();
  });

  it('a TLS record that is not a ClientHello, and an empty one', async () => {
    for (const [bytes, reason] of [
      [Buffer.from([0x16, 0x03, 0x01, 0x00, 0x04, 0x0b, 0x00, 0x00, 0x00]), /not a ClientHello/],
      [Buffer.from([0x16, 0x03, 0x01, 0x00, 0x00]), /empty TLS record/],
    ] as const) {
      const r = await exchange(port('mixed'), bytes);
      assert.equal(r.data, '');
      assert.equal(r.closed, true);
      await sy.waitFor(new RegExp(`connection closed: ${reason.source}`));
    }
    await stillServing();
  });

  it('PROXY headers that lie or are cut short, in front of a TCP router', async () => {
    const lying = encodeProxyHeader(2, { address: '192.0.2.1', port: 1 }, { address: '192.0.2.2', port: 2 });
    lying.writeUInt16BE(4, 14); // 4 bytes of addresses for AF_INET, which needs 12
    const cases: [Buffer, boolean, RegExp][] = [
      [Buffer.concat([lying, Buffer.from('data')]), false, /shorter than its tcp4 addresses/],
      [Buffer.from('PROXY TCP4 192.0.2.1 19'), true, /truncated header/],
      [Buffer.from('PROXY TCP4 192.0.2.1 192.0.2.2 1 2'), false, /incomplete header after 500 ms/],
    ];
    for (const [bytes, end, reason] of cases) {
      const r = await exchange(port('pp'), bytes, { end });
      assert.equal(r.data, '');
      assert.equal(r.closed, true);
      await sy.waitFor(new RegExp(`PROXY protocol header rejected.*${reason.source}`));
    }
    await stillServing();
  });
});
