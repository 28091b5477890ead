import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { parseClientHello, readClientHello } from './client-hello.js';

/** The bytes a real Node TLS client sends first (its ClientHello), captured by a TCP server that never answers. */
async function captureClientHello(opts: tls.ConnectionOptions): Promise<Buffer> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  try {
    const captured = new Promise<Buffer>((resolve) => {
      server.once('connection', (socket) => {
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          const all = Buffer.concat(chunks);
          if (parseClientHello(all).state !== 'partial') {
            socket.destroy();
            resolve(all);
          }
        });
      });
    });
    const client = tls.connect({ host: '127.0.0.1', port, ...opts });
    client.on('error', () => {});
    const bytes = await captured;
    client.destroy();
    return bytes;
  } finally {
    server.close();
  }
}

/** The same handshake message framed as two TLS records split at `at` bytes of the message. */
function splitIntoTwoRecords(hello: Buffer, at: number): Buffer {
  const message = hello.subarray(5, 5 + hello.readUInt16BE(3));
  const record = (part: Buffer) => {
    const header = Buffer.from([0x16, 0x03, 0x01, 0, 0]);
    header.writeUInt16BE(part.length, 3);
    return Buffer.concat([header, part]);
  };
  return Buffer.concat([record(message.subarray(0, at)), record(message.subarray(at))]);
}

let withSni: Buffer;
let withoutSni: Buffer;

before(async () => {
  withSni = await captureClientHello({ servername: 'Shop.Example.test', ALPNProtocols: ['h2', 'http/1.1'] });
  withoutSni = await captureClientHello({});
});

describe('parseClientHello on ClientHellos sent by a real TLS client', () => {
  it('reads the server name as sent and the ALPN protocols in order', () => {
    const parsed = parseClientHello(withSni);
    assert.equal(parsed.state, 'complete');
    assert.deepEqual(parsed.state === 'complete' && parsed.hello, {
      serverName: 'Shop.Example.test',
      alpnProtocols: ['h2', 'http/1.1'],
    });
  });

  it('reports no server name and no ALPN when the client sends neither', () => {
    const parsed = parseClientHello(withoutSni);
    assert.deepEqual(parsed.state === 'complete' && parsed.hello, {
      serverName: undefined,
      alpnProtocols: [],
    });
  });

  it('asks for more bytes for every truncated prefix', () => {
    for (let n = 0; n < withSni.length; n++) {
      assert.equal(parseClientHello(withSni.subarray(0, n)).state, 'partial', `prefix of ${n} bytes`);
    }
  });

  it('reassembles a ClientHello split over two records, and asks for more in between', () => {
    for (const at of [1, 3, 4, 40, 120]) {
      const framed = splitIntoTwoRecords(withSni, at);
      const parsed = parseClientHello(framed);
      assert.equal(
        parsed.state === 'complete' && parsed.hello.serverName,
        'Shop.Example.test',
        `split at ${at}`,
      );
      assert.equal(parseClientHello(framed.subarray(0, framed.length - 1)).state, 'partial');
    }
  });

  it('says invalid for bytes that are not a ClientHello', () => {
    assert.equal(parseClientHello(Buffer.from('\x16\x03\x01\x00\x00')).state, 'invalid');
    assert.equal(parseClientHello(Buffer.from('GET / HTTP/1.1\r\n\r\n')).state, 'invalid');
    const serverHello = Buffer.from(withSni);
    serverHello[5] = 0x02;
    assert.equal(parseClientHello(serverHello).state, 'invalid');
    const broken = Buffer.from(withSni);
    broken.writeUInt16BE(0xffff, 5 + 4 + 2 + 32 + 1 + broken[5 + 4 + 2 + 32]!); // cipher list runs past the end
    assert.equal(parseClientHello(broken).state, 'invalid');
  });
});

describe('readClientHello on a real connection', () => {
  let server: net.Server;
  let port: number;
  const accepted: net.Socket[] = [];

  before(async () => {
    server = net.createServer((socket) => accepted.push(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as net.AddressInfo).port;
  });

  after(() => {
    for (const s of accepted) s.destroy();
    server.close();
  });

  async function pair(): Promise<{ client: net.Socket; socket: net.Socket; first: Buffer }> {
    const count = accepted.length;
    const client = net.connect(port, '127.0.0.1');
    await once(client, 'connect');
    client.write(withSni.subarray(0, 10));
    while (accepted.length === count) await new Promise((r) => setImmediate(r));
    const socket = accepted[count]!;
    await once(socket, 'readable');
    return { client, socket, first: socket.read() as Buffer };
  }

  it('waits for the rest when the ClientHello arrives in pieces, then leaves every byte unread', async () => {
    const { client, socket, first } = await pair();
    const reading = readClientHello(socket, first, 10_000);
    for (let at = 10; at < withSni.length; at += 50) {
      client.write(withSni.subarray(at, Math.min(at + 50, withSni.length)));
      await new Promise((r) => setImmediate(r));
    }
    const hello = await reading;
    assert.equal(hello?.serverName, 'Shop.Example.test');
    const replay: Buffer[] = [];
    for (let c = socket.read() as Buffer | null; c; c = socket.read() as Buffer | null) replay.push(c);
    assert.deepEqual(Buffer.concat(replay), withSni);
    client.destroy();
  });

  it('rejects when the client goes away mid-ClientHello, and when it stalls', async () => {
    const gone = await pair();
    const reading = readClientHello(gone.socket, gone.first, 10_000);
    gone.client.end();
    await assert.rejects(reading, /closed before the TLS ClientHello ended/);

    const stalled = await pair();
    await assert.rejects(readClientHello(stalled.socket, stalled.first, 50), /timed out/);
    stalled.client.destroy();
  });
});
