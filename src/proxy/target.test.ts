import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { httpRequest, startFrontend } from '../../test/helpers/backends.js';
import { createCA, issueCert, type TestCA } from '../../test/helpers/certs.js';
import type { ServersTransport } from '../config/dynamic/index.js';
import { SwitchyardError } from '../core/errors.js';
import { forward } from './forward.js';
import { createUpstreamTarget, DEFAULT_MAX_IDLE } from './target.js';

let generation = 4000;
const target = (url: string, config: ServersTransport = {}, preservePath = false) =>
  createUpstreamTarget(
    { url, preservePath },
    { name: `target-${generation}`, config },
    { passHostHeader: true, generation: generation++ },
  );

function configError(fn: () => unknown, code: string, text: string): void {
  assert.throws(
    fn,
    (err: unknown) => err instanceof SwitchyardError && err.code === code && err.message.includes(text),
  );
}

describe('createUpstreamTarget', () => {
  it('derives host header, path prefix and pool settings', () => {
    const t = target('http://10.0.0.1:8080/api/', { forwardingTimeouts: { dialTimeout: 1000 } }, true);
    assert.equal(t.hostHeader, '10.0.0.1:8080');
    assert.equal(t.pathPrefix, '/api/');
    assert.equal(t.pool.options.port, 8080);
    assert.equal(t.pool.options.dialTimeoutMs, 1000);
    assert.equal(t.pool.options.idleTimeoutMs, 90_000);
    assert.equal(t.pool.options.maxIdle, DEFAULT_MAX_IDLE);
    assert.equal(target('http://10.0.0.1/api').pathPrefix, '', 'path ignored without preservePath');
    assert.equal(target('https://[::1]').pool.options.host, '::1');
    assert.equal(target('https://[::1]').pool.options.port, 443);
    assert.equal(target('http://h', { maxIdleConnsPerHost: 3 }).pool.options.maxIdle, 3);
    assert.equal(target('http://h', { maxIdleConnsPerHost: -5 }).closeAfter, true);
  });

  it('gives h2c:// and https:// servers an HTTP/2 origin, unless disableHTTP2', () => {
    const h2c = target('h2c://10.0.0.1:8081');
    assert.equal(h2c.h2?.options.scheme, 'h2c');
    assert.equal(h2c.h2?.options.port, 8081);
    assert.equal(h2c.pool.options.protocol, 'http:', 'upgrades go over HTTP/1.1');
    assert.equal(target('h2c://10.0.0.1').h2?.options.port, 80);
    assert.equal(target('https://h').h2?.options.scheme, 'https');
    assert.equal(target('https://h', { disableHTTP2: true }).h2, undefined);
    assert.equal(target('http://h').h2, undefined);
  });

  it('rejects unusable server URLs, naming them', () => {
    configError(() => target('ftp://10.0.0.1'), 'CONFIG_INVALID', 'ftp://10.0.0.1');
    configError(() => target('not a url'), 'CONFIG_INVALID', 'not a url');
  });

  it('rejects unknown TLS versions and unreadable certificate files', () => {
    configError(() => target('https://h', { minVersion: 'TLS1.2' }), 'CONFIG_INVALID', 'TLS1.2');
    configError(
      () => target('https://h', { rootCAs: ['/nonexistent/ca.pem'] }),
      'TLS_CERTIFICATE',
      '/nonexistent',
    );
  });
});

describe('forward: https upstreams', () => {
  let ca: TestCA;
  let server: https.Server;
  let url: string;
  let client: { cert: string; key: string };
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    ca = await createCA({ commonName: 'Switchyard Test Root' });
    const leaf = await issueCert(ca, { dnsNames: ['backend.test'], ipAddresses: ['127.0.0.1'] });
    client = await issueCert(ca, { dnsNames: ['client.test'] });
    server = https.createServer(
      { cert: leaf.fullChain, key: leaf.key, ca: ca.cert, requestCert: true, rejectUnauthorized: false },
      (req, res) => {
        const socket = req.socket as TLSSocket;
        res.end(`sni=${socket.servername} client=${socket.authorized ? 'verified' : 'none'}`);
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const c of closers) await c();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function get(config: ServersTransport) {
    const front = await startFrontend((ctx) => forward(ctx, target(url, config)));
    closers.push(front.close);
    return httpRequest(front.url);
  }

  it('verifies the server against rootCAs and sends serverName as SNI', async () => {
    const reply = await get({ rootCAs: [ca.cert], serverName: 'backend.test' });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.toString(), 'sni=backend.test client=none');
  });

  it('answers 502 for an untrusted server, 200 with insecureSkipVerify', async () => {
    assert.equal((await get({})).status, 502);
    assert.equal((await get({ insecureSkipVerify: true })).status, 200);
  });

  it('presents client certificates', async () => {
    const reply = await get({
      rootCAs: [ca.cert],
      serverName: 'backend.test',
      certificates: [{ certFile: client.cert, keyFile: client.key }],
    });
    assert.equal(reply.body.toString(), 'sni=backend.test client=verified');
  });

  it('honours maxVersion', async () => {
    const reply = await get({ rootCAs: [ca.cert], serverName: 'backend.test', maxVersion: 'VersionTLS12' });
    assert.equal(reply.status, 200);
  });
});
