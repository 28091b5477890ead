import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import tls from 'node:tls';
import { parseClientHello } from './client-hello.js';

/** The first flight of a real Node TLS client (one ClientHello record). */
async function realHello(opts: tls.ConnectionOptions): Promise<Buffer> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const got = new Promise<Buffer>((resolve) => {
    server.once('connection', (s) => {
      let buf = Buffer.alloc(0);
      s.on('data', (b: Buffer) => {
        buf = Buffer.concat([buf, b]);
        if (buf.length >= 5 && buf.length >= 5 + buf.readUInt16BE(3)) {
          resolve(buf);
          s.destroy();
        }
      });
    });
  });
  const client = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...opts });
  client.on('error', () => {});
  const hello = await got;
  client.destroy();
  server.close();
  return hello;
}

/** Re-frames one handshake message into TLS records of at most `size` bytes each. */
function reframe(record: Buffer, size: number): Buffer {
  const body = record.subarray(5);
  const out: Buffer[] = [];
  for (let i = 0; i < body.length; i += size) {
    const part = body.subarray(i, i + size);
    const head = Buffer.from([0x16, 0x03, 0x01, 0, 0]);
    head.writeUInt16BE(part.length, 3);
    out.push(head, part);
  }
  return Buffer.concat(out);
}

describe('parseClientHello', () => {
  it('reads SNI (lowercased) and the ALPN list of a real client', async () => {
    const hello = await realHello({ servername: 'Mail.Example.TEST', ALPNProtocols: ['imap', 'h2'] });
    const r = parseClientHello(hello);
    assert.deepEqual(r, { kind: 'hello', facts: { serverName: 'mail.example.test', alpn: ['imap', 'h2'] } });
  });

  it('asks for more bytes, one step at a time, until the message is complete', async () => {
    const hello = await realHello({ servername: 'a.test' });
    assert.deepEqual(parseClientHello(hello.subarray(0, 3)), { kind: 'need', bytes: 5 });
    assert.deepEqual(parseClientHello(hello.subarray(0, 10)), { kind: 'need', bytes: hello.length });
    for (let n = 1; n < hello.length; n++) assert.equal(parseClientHello(hello.subarray(0, n)).kind, 'need');
  });

  it('reassembles a ClientHello spread over many small TLS records', async () => {
    const hello = await realHello({ servername: 'split.test', ALPNProtocols: ['x'] });
    const split = reframe(hello, 7);
    assert.deepEqual(parseClientHello(split), {
      kind: 'hello',
      facts: { serverName: 'split.test', alpn: ['x'] },
    });
  });

  it('refuses garbage, non-handshake records, an oversized ClientHello and bad inner lengths', async () => {
    assert.equal(parseClientHello(Buffer.from('\x16GET / HTTP/1.1\r\n')).kind, 'invalid');
    assert.match(
      (parseClientHello(Buffer.from([0x16, 3, 1, 0, 4, 2, 0, 0, 0])) as { reason: string }).reason,
      /handshake message type 2/,
    );
    const big = Buffer.from([0x16, 3, 1, 0, 4, 1, 0x02, 0, 0]);
    assert.match((parseClientHello(big) as { reason: string }).reason, /oversized ClientHello/);
    const hello = await realHello({ servername: 'a.test' });
    const broken = Buffer.from(hello);
    broken.writeUInt16BE(0xffff, 5 + 4 + 2 + 32 + 1 + broken[5 + 4 + 2 + 32]!); // cipher list runs past the end
    assert.match((parseClientHello(broken) as { reason: string }).reason, /malformed ClientHello/);
    const overRecord = Buffer.from([0x16, 3, 1, 0x48, 0x01]);
    assert.match((parseClientHello(overRecord) as { reason: string }).reason, /oversized TLS record/);
  });
});
