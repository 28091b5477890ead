import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { selfSignedCert } from '../../../test/helpers/certs.js';
import type { TcpDialOptions } from '../../proxy/tcp/dial.js';
import { probeTcp } from './health-check.js';

const dial: TcpDialOptions = { dialTimeoutMs: 0, keepAliveMs: -1, terminationDelayMs: 100, tls: {} };

/** Answers `PONG` to `PING`, anything else with `NOPE`. */
function pong(socket: net.Socket): void {
  socket.on('error', () => {});
  socket.on('data', (d: Buffer) => socket.write(d.toString() === 'PING' ? 'PONG' : 'NOPE'));
}

describe('TCP health check probe', () => {
  let plain: net.Server;
  let secure: tls.Server;
  const portOf = (s: net.Server) => (s.address() as AddressInfo).port;

  before(async () => {
    plain = net.createServer(pong);
    secure = tls.createServer(await selfSignedCert({ dnsNames: ['hc.test'] }), pong);
    for (const s of [plain, secure]) await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  });

  after(() => {
    plain.close();
    secure.close();
  });

  const signal = new AbortController().signal;

  it('is up when the server answers what `expect` says, down otherwise', async () => {
    const address = `127.0.0.1:${portOf(plain)}`;
    assert.equal(await probeTcp(address, false, { send: 'PING', expect: 'PONG' }, dial, signal), true);
    assert.equal(await probeTcp(address, false, { send: 'PANG', expect: 'PONG' }, dial, signal), false);
    assert.equal(await probeTcp(address, false, {}, dial, signal), true);
  });

  it('speaks TLS to a `tls: true` server, and probes `port` instead of the server port when set', async () => {
    const tlsDial = { ...dial, tls: { rejectUnauthorized: false } };
    const address = `127.0.0.1:${portOf(secure)}`;
    assert.equal(await probeTcp(address, true, { send: 'PING', expect: 'PONG' }, tlsDial, signal), true);
    const elsewhere = { port: portOf(secure), send: 'PING', expect: 'PONG' };
    assert.equal(await probeTcp(`127.0.0.1:${portOf(plain)}`, true, elsewhere, tlsDial, signal), true);
  });

  it('is down when nothing listens', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const address = `127.0.0.1:${portOf(closed)}`;
    await new Promise((r) => closed.close(r));
    assert.equal(await probeTcp(address, false, {}, dial, signal), false);
  });
});
