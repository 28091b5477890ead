import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { httpRequest, startFrontend } from '../../test/helpers/backends.js';
import { createCA, issueCert, type TestCA } from '../../test/helpers/certs.js';
import type { ServersTransport } from '../config/dynamic/index.js';
import { loadBalancerService } from '../services/loadbalancer/index.js';
import { testServiceContext } from '../services/testing.js';

describe('serversTransport TLS to backends', () => {
  let ca: TestCA;
  let client: { cert: string; key: string };
  let backendUrl: string;
  let server: https.Server;
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    ca = await createCA({ commonName: 'Backend CA' });
    const leaf = await issueCert(ca, { dnsNames: ['backend.test'] });
    client = await issueCert(ca, { dnsNames: ['client.test'] });
    server = https.createServer(
      { cert: leaf.fullChain, key: leaf.key, ca: ca.cert, requestCert: true, rejectUnauthorized: true },
      (req, res) => res.end(`peer=${(req.socket as TLSSocket).getPeerCertificate().subject?.CN}`),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    backendUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    for (const c of closers) await c();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  async function call(transport: ServersTransport) {
    const built = loadBalancerService.create(
      { servers: [{ url: backendUrl }], serversTransport: 'tls' },
      testServiceContext({ transports: { tls: transport } }),
    );
    const front = await startFrontend(built.handler);
    closers.push(front.close);
    const reply = await httpRequest(front.url);
    return { status: reply.status, body: reply.body.toString() };
  }

  const mtls = () => ({ rootCAs: [ca.cert], certificates: [{ certFile: client.cert, keyFile: client.key }] });

  it('presents a client certificate (mTLS) and checks the server against rootCAs and serverName', async () => {
    assert.deepEqual(await call({ ...mtls(), serverName: 'backend.test' }), {
      status: 200,
      body: 'peer=client.test',
    });
    assert.equal(
      (await call({ rootCAs: [ca.cert], serverName: 'backend.test' })).status,
      502,
      'no client cert',
    );
    assert.equal((await call({ ...mtls(), serverName: 'other.test' })).status, 502, 'wrong name');
    assert.equal((await call({ ...mtls(), rootCAs: [] })).status, 502, 'unknown CA');
    assert.equal((await call({ ...mtls(), insecureSkipVerify: true })).status, 200);
  });

  it('accepts a peer by SAN instead of host name (peerCertSANs)', async () => {
    const sans = (value: string) => [{ type: 'DNSName' as const, value }];
    assert.equal((await call({ ...mtls(), peerCertSANs: sans('backend.test') })).status, 200);
    assert.equal((await call({ ...mtls(), peerCertSANs: sans('nope.test') })).status, 502);
  });

  it('maps Go cipher suite names and rejects unknown ones', async () => {
    const ok = await call({
      ...mtls(),
      serverName: 'backend.test',
      cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
    });
    assert.equal(ok.status, 200);
    assert.throws(
      () =>
        loadBalancerService.create(
          { servers: [{ url: backendUrl }], serversTransport: 'tls' },
          testServiceContext({ transports: { tls: { cipherSuites: ['TLS_BOGUS'] } } }),
        ),
      /unknown suite/,
    );
  });
});
