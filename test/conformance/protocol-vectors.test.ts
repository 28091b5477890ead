import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { encodeProxyHeader } from '../../src/connection/proxy-protocol/index.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { askUdp, startUdpEcho, udpClient } from '../helpers/udp.js';
import { exchangeBytes, startEcho, type TcpServer } from '../integration/tcp-fixture.js';
import { type RecordingBackend, startRecordingBackend } from './recording-backend.js';
import { exchange, statuses } from './vector-client.js';
import { frame, H2_VECTORS, PREFACE, SYNC } from './vectors/h2-frames.js';
import { PROXY_VECTORS, TCP_VECTORS } from './vectors/stream-inputs.js';

/*
 * Hostile inputs beyond HTTP/1 (issue 18): HTTP/2 frames on h2c, PROXY protocol headers, raw TCP through
 * a TCP router, datagrams through a UDP router. For each: the documented answer or a close, no crash,
 * and every entrypoint serves a normal exchange afterwards.
 */

/** Frame types in `data` after the server's preface, as [type, stream, first payload byte]. */
function frames(data: Buffer): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let at = 0; at + 9 <= data.length; ) {
    const len = data.readUIntBE(at, 3);
    out.push([data[at + 3]!, data.readUInt32BE(at + 5) & 0x7fffffff, data[at + 9] ?? -1]);
    at += 9 + len;
  }
  return out;
}
const GOAWAY = 7;
const RST = 3;
const HEADERS = 1;
const PING = 6;
const SYNC_BYTE = SYNC[0]!;
/** A refusal, an answer on stream 1, or the ACK of the SYNC ping (every frame before it was read). */
const settled = (b: Buffer) =>
  frames(b).some(
    ([t, s, first]) =>
      t === GOAWAY || t === RST || (t === HEADERS && s === 1) || (t === PING && first === SYNC_BYTE),
  );

describe('protocol vectors: HTTP/2, PROXY protocol, TCP, UDP (issue 18)', () => {
  let backend: RecordingBackend;
  let echo: TcpServer;
  let udpEcho: Awaited<ReturnType<typeof startUdpEcho>>;
  let sy: Running;
  const port = (ep: string) => sy.ports.get(ep)!;

  before(async () => {
    backend = await startRecordingBackend();
    echo = await startEcho('echo');
    udpEcho = await startUdpEcho('udp');
    const dir = tempDir();
    writeFile(
      dir,
      'dynamic.yml',
      `http:
  routers:
    all:
      rule: "PathPrefix(\`/\`)"
      entryPoints: [web, pp]
      service: s
  services:
    s:
      loadBalancer: { servers: [{ url: "http://127.0.0.1:${backend.port}" }] }
tcp:
  routers:
    raw:
      rule: "HostSNI(\`*\`)"
      entryPoints: [tcp]
      service: echo
  services:
    echo:
      loadBalancer: { servers: [{ address: "${echo.address}" }] }
udp:
  routers:
    dgram:
      entryPoints: [udp]
      service: echo
  services:
    echo:
      loadBalancer: { servers: [{ address: "127.0.0.1:${udpEcho.port}" }] }
`,
    );
    sy = await startSwitchyard(
      [
        '--entryPoints.web.address=127.0.0.1:0',
        '--entryPoints.web.transport.respondingTimeouts.readTimeout=2s',
        '--entryPoints.pp.address=127.0.0.1:0',
        '--entryPoints.pp.proxyProtocol.trustedIPs=127.0.0.1/32',
        '--entryPoints.pp.transport.respondingTimeouts.readTimeout=2s',
        '--entryPoints.tcp.address=127.0.0.1:0',
        '--entryPoints.tcp.transport.respondingTimeouts.readTimeout=2s',
        '--entryPoints.udp.address=127.0.0.1:0/udp',
        `--providers.file.directory=${dir}`,
      ],
      { expectEntryPoints: ['web', 'pp', 'tcp'] },
    );
    await sy.waitFor(/configuration applied.*generation=2/);
  });

  after(async () => {
    await sy?.stop();
    await backend?.close();
    await echo?.close();
    udpEcho?.socket.close();
  });

  const GET = 'GET /next HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n';
  async function stillServing() {
    assert.deepEqual(statuses(await exchange(port('web'), GET)), [200], 'HTTP/1 on web');
    const pp = encodeProxyHeader(1, { address: '198.51.100.9', port: 1 }, { address: '192.0.2.1', port: 2 });
    assert.deepEqual(
      statuses(
        (await exchangeBytes(port('pp'), Buffer.concat([pp, Buffer.from(GET)]))).data.toString('latin1'),
      ),
      [200],
      'behind PROXY on pp',
    );
    assert.equal(
      (
        await exchangeBytes(port('tcp'), Buffer.from('ok'), { until: (b) => b.toString().endsWith('ok') })
      ).data.toString(),
      'echo:ok',
      'TCP',
    );
  }

  for (const v of H2_VECTORS) {
    it(`HTTP/2: ${v.name}: ${v.outcome}`, async () => {
      const { data, closed } = await exchangeBytes(
        port('web'),
        Buffer.concat([PREFACE, frame(4, 0, 0), v.frames]),
        { until: settled },
      );
      const seen = frames(data);
      const answered = seen.some(([t, s]) => t === HEADERS && s === 1);
      const refused = seen.some(([t]) => t === GOAWAY || t === RST) || (closed && !answered);
      const ok =
        v.outcome === 'answered' ? answered : v.outcome === 'refused' ? refused && !answered : !answered;
      assert.equal(ok, true, JSON.stringify(seen));
      await stillServing();
    });
  }

  for (const v of PROXY_VECTORS) {
    it(`PROXY protocol: ${v.name}: ${v.outcome}`, async () => {
      backend.received.length = 0;
      const { data } = await exchangeBytes(port('pp'), Buffer.concat([v.header, Buffer.from(GET)]));
      const got = statuses(data.toString('latin1'));
      if (v.outcome === 'refused') {
        assert.notDeepEqual(got, [200], data.toString('latin1'));
        assert.deepEqual(backend.received, [], 'nothing reaches the server');
      } else {
        assert.deepEqual(got, [200], data.toString('latin1'));
        assert.deepEqual(
          backend.received.map((r) => r.headers['x-real-ip']),
          [v.outcome.client],
        );
      }
      await stillServing();
    });
  }

  for (const v of TCP_VECTORS) {
    it(`TCP: ${v.name}`, async () => {
      const { data } = await exchangeBytes(port('tcp'), v.send, {
        until: (b) => b.length >= 5 + v.send.length,
      });
      assert.equal(data.length, 5 + v.send.length, 'the echo comes back whole');
      assert.ok(data.subarray(5).equals(v.send), 'byte for byte');
      await stillServing();
    });
  }

  it('UDP: an empty datagram, a 1-byte one and a 60,000-byte one, each answered', async () => {
    const c = await udpClient();
    try {
      for (const text of ['', 'x', 'y'.repeat(60_000)]) {
        assert.equal(await askUdp(c, port('udp'), text, 5_000), `udp:${text}`);
      }
    } finally {
      c.close();
    }
  });

  it('UDP: 500 datagrams at once from one client and one from each of 200 clients, then served', async () => {
    const c = await udpClient();
    const many = await Promise.all(Array.from({ length: 200 }, () => udpClient()));
    try {
      for (let i = 0; i < 500; i++) c.send(`burst${i}`, port('udp'), '127.0.0.1');
      for (const m of many) m.send('one', port('udp'), '127.0.0.1');
      assert.equal(await askUdp(c, port('udp'), 'after', 5_000).then((a) => a?.startsWith('udp:')), true);
      const fresh = createSocket('udp4');
      await new Promise<void>((r) => fresh.bind(0, '127.0.0.1', r));
      assert.equal(await askUdp(fresh, port('udp'), 'fresh', 5_000), 'udp:fresh');
      fresh.close();
      await stillServing();
    } finally {
      c.close();
      for (const m of many) m.close();
    }
  });
});
