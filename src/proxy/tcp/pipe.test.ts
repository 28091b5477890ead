import assert from 'node:assert/strict';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { type PipeResult, pipeSockets } from './pipe.js';

/**
 * A connected pair of real sockets through 127.0.0.1: `outer` is the test's end, `inner` the accepted one
 * that the pipe gets (half-open, as the entrypoint's listener makes them).
 */
async function pair(): Promise<{ outer: net.Socket; inner: net.Socket; close: () => void }> {
  const server = net.createServer({ allowHalfOpen: true });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  const outer = net.connect({
    port: (server.address() as AddressInfo).port,
    host: '127.0.0.1',
    allowHalfOpen: true,
  });
  outer.on('error', () => {});
  const [inner] = (await accepted) as [net.Socket];
  return {
    outer,
    inner,
    close: () => {
      outer.destroy();
      inner.destroy();
      server.close();
    },
  };
}

/** Everything `s` reads until its peer's FIN. */
async function readAll(s: net.Socket): Promise<string> {
  let got = '';
  s.setEncoding('utf8');
  s.on('data', (d: string) => {
    got += d;
  });
  await once(s, 'end');
  return got;
}

describe('pipeSockets', { timeout: 10_000 }, () => {
  it('passes bytes and half-close both ways; ends once both sides have ended', async () => {
    const client = await pair();
    const backend = await pair();
    const done = new Promise<PipeResult>((resolve) =>
      pipeSockets(client.inner, backend.outer, { terminationDelayMs: -1, onDone: resolve }),
    );
    // The client ends first; the server still answers after that, then ends too.
    const atServer = readAll(backend.inner);
    client.outer.end('request');
    assert.equal(await atServer, 'request');
    const atClient = readAll(client.outer);
    backend.inner.end('late answer');
    assert.equal(await atClient, 'late answer');
    const result = await done;
    assert.deepEqual([result.sent, result.received], ['request'.length, 'late answer'.length]);
    for (const p of [client, backend]) p.close();
  });

  it('starts the termination delay for a client that sent only its FIN before the pipe existed', async () => {
    const client = await pair();
    const backend = await pair();
    client.outer.end();
    // Node emits 'end' on a socket with no data without anyone reading it.
    await once(client.inner, 'end');
    const closed = once(client.outer, 'close');
    client.outer.resume();
    pipeSockets(client.inner, backend.outer, { terminationDelayMs: 10 });
    backend.inner.resume(); // the server never ends its side
    await once(backend.inner, 'end'); // it got the FIN
    await closed; // and the delay closed the client
    for (const p of [client, backend]) p.close();
  });

  it('a reset on one side closes the other and reports the error', async () => {
    const client = await pair();
    const backend = await pair();
    const done = new Promise<PipeResult>((resolve) =>
      pipeSockets(client.inner, backend.outer, { terminationDelayMs: -1, onDone: resolve }),
    );
    const closed = once(client.outer, 'end');
    client.outer.resume();
    backend.inner.resetAndDestroy();
    assert.equal((await done).error?.message.includes('ECONNRESET'), true);
    await closed;
    for (const p of [client, backend]) p.close();
  });
});
