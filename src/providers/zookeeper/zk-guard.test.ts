import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { startWhoami } from '../../cli/whoami.js';
import { MAX_FRAME_BYTES } from './zk-guard.js';
import { ZooKeeperStore } from './zookeeper-store.js';

/** A ZooKeeper connect response (protocol 0, a 10 s session, session id 1, a 16-byte password). */
function connectResponse(): Buffer {
  const frame = Buffer.alloc(4 + 4 + 4 + 8 + 4 + 16);
  frame.writeInt32BE(frame.length - 4, 0);
  frame.writeInt32BE(10_000, 8);
  frame.writeBigInt64BE(1n, 12);
  frame.writeInt32BE(16, 20);
  return frame;
}

/** A reply to request `xid` carrying error code `code` (xid, zxid, err). */
function reply(xid: number, code: number): Buffer {
  const frame = Buffer.alloc(4 + 4 + 8 + 4);
  frame.writeInt32BE(16, 0);
  frame.writeInt32BE(xid, 4);
  frame.writeBigInt64BE(1n, 8);
  frame.writeInt32BE(code, 16);
  return frame;
}

/**
 * A fault injector on a raw socket: accepts the session, then answers each request with `answer(request)`
 * (the bytes a server that is not ZooKeeper, or a broken one, would send).
 */
async function injector(answer: (request: Buffer) => Buffer) {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => {
      socket.write(connectResponse());
      socket.on('data', (request) => socket.write(answer(request)));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, endpoint: `127.0.0.1:${(server.address() as net.AddressInfo).port}` };
}

/** Opens a session and waits for `lost` after one read (the read itself may never settle). */
async function lostAfterRead(endpoint: string): Promise<Error> {
  let lost!: (err: Error) => void;
  const reported = new Promise<Error>((resolve) => {
    lost = resolve;
  });
  const session = await new ZooKeeperStore({ endpoints: [endpoint] }).open({
    change: () => {},
    lost: (err) => lost(err as Error),
  });
  session
    .view()
    .get('traefik/http/routers/r/rule')
    .catch(() => undefined);
  const err = await reported;
  await session.close();
  return err;
}

describe('ZooKeeper client: bytes that are not ZooKeeper never end the process', () => {
  const closers: (() => unknown)[] = [];
  after(async () => {
    for (const close of closers) await close();
  });

  it('an unknown error code in a reply (the library threw "Unknown code" from its socket handler)', async () => {
    const { server, endpoint } = await injector((request) => reply(request.readInt32BE(4), -12345));
    closers.push(() => server.close());
    const err = await lostAfterRead(endpoint);
    assert.match(err.message, /does not speak ZooKeeper's protocol \(Unknown code: -12345\)/);
    assert.match(err.message, new RegExp(endpoint));
  });

  it('a frame too short for its reply header (a RangeError inside the parser)', async () => {
    const { server, endpoint } = await injector(() => Buffer.from([0, 0, 0, 2, 1, 2]));
    closers.push(() => server.close());
    const err = await lostAfterRead(endpoint);
    assert.match(err.message, /does not speak ZooKeeper's protocol/);
  });

  it('a frame length no ZooKeeper sends is refused at once instead of buffered', async () => {
    const { server, endpoint } = await injector(() => {
      const frame = Buffer.alloc(8);
      frame.writeInt32BE(MAX_FRAME_BYTES + 1, 0);
      return frame;
    });
    closers.push(() => server.close());
    const err = await lostAfterRead(endpoint);
    assert.match(err.message, new RegExp(`a frame of ${MAX_FRAME_BYTES + 1} bytes`));
  });

  it('a real HTTP server on the port: the connection is refused with a clear error', async () => {
    const web = await startWhoami({ name: 'not-zookeeper' });
    closers.push(() => web.close());
    const store = new ZooKeeperStore({ endpoints: [`127.0.0.1:${web.port}`] });
    await assert.rejects(
      store.open({ change: () => {}, lost: () => {} }),
      /does not speak ZooKeeper's protocol \(a frame of \d+ bytes\); is another server on that port\?/,
    );
  });
});
