import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectionOptions } from 'node:tls';
import {
  createCA,
  type IssuedCert,
  issueCert,
  type TestCA,
  type TlsProbe,
  tlsProbe,
} from '../../test/helpers/certs.js';
import { Logger } from '../core/logger.js';
import { DEFAULT_CERT_COMMON_NAME, generateDefaultCertificate } from './generate-default.js';
import type { CertPair } from './load.js';
import { resolveTlsOptions, type TlsOptionsConfig } from './options.js';
import { buildCertificateStore } from './store.js';
import { singleChoiceRouting, TlsTerminator } from './terminator.js';
import { listenTerminator } from './test-tls-fixtures.js';

let serverCa: TestCA;
let clientCa: TestCA;
let foreignCa: TestCA;
let site: IssuedCert;
let goodClient: IssuedCert;
let foreignClient: IssuedCert;
let generatedDefault: CertPair;
const servers: { close(): Promise<void> }[] = [];

before(async () => {
  [serverCa, clientCa, foreignCa, generatedDefault] = await Promise.all([
    createCA({ commonName: 'Handshake Server CA' }),
    createCA({ commonName: 'Handshake Client CA' }),
    createCA({ commonName: 'Handshake Foreign CA' }),
    generateDefaultCertificate(),
  ]);
  [site, goodClient, foreignClient] = await Promise.all([
    issueCert(serverCa, { dnsNames: ['site.test'], commonName: 'site' }),
    issueCert(clientCa, { dnsNames: [], commonName: 'good client' }),
    issueCert(foreignCa, { dnsNames: [], commonName: 'foreign client' }),
  ]);
});

after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** A server for `config` with `site.test` in its store; returns a probe bound to it. */
async function serve(config: TlsOptionsConfig) {
  const resolved = resolveTlsOptions(config);
  const { store } = buildCertificateStore({
    certificates: [{ certFile: site.cert, keyFile: site.key }],
    generatedDefault,
    contextOptions: resolved.contextOptions,
  });
  const clientErrors: Error[] = [];
  const terminator = new TlsTerminator(
    singleChoiceRouting({ optionsName: 'default', options: resolved, store }),
    (socket) => {
      socket.on('error', () => {});
      socket.end('ok');
    },
    Logger.create({ level: 'FATAL' }),
    { onHandshakeError: (err) => clientErrors.push(err) },
  );
  const srv = await listenTerminator(terminator);
  servers.push(srv);
  return {
    probe: (opts: ConnectionOptions = {}): Promise<TlsProbe> =>
      tlsProbe(srv.port, { servername: 'site.test', ...opts }),
    port: srv.port,
    clientErrors,
  };
}

const accepted = (p: TlsProbe) => p.data === 'ok';

describe('TLS options over real handshakes', () => {
  it('enforces minVersion: a client limited to TLS 1.2 is refused by VersionTLS13', async () => {
    const { probe } = await serve({ minVersion: 'VersionTLS13' });
    const old = await probe({ maxVersion: 'TLSv1.2' });
    assert.equal(old.handshake, false);
    assert.match(String(old.error), /protocol version/);
    const modern = await probe();
    assert.equal(modern.protocol, 'TLSv1.3');
    assert.equal(modern.commonName, 'site');
  });

  it('enforces maxVersion', async () => {
    const { probe } = await serve({ maxVersion: 'VersionTLS12' });
    assert.equal((await probe()).protocol, 'TLSv1.2');
  });

  it('allows legacy TLS 1.0 when asked to', async () => {
    const { probe } = await serve({ minVersion: 'VersionTLS10' });
    const legacy = await probe({ minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    assert.equal(legacy.protocol, 'TLSv1');
    assert.ok(accepted(legacy));
  });

  it('uses the configured TLS 1.2 cipher suites and leaves TLS 1.3 available', async () => {
    const { probe } = await serve({ cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'] });
    const tls12 = await probe({ maxVersion: 'TLSv1.2' });
    assert.equal(tls12.protocol, 'TLSv1.2');
    assert.equal(tls12.cipher, 'ECDHE-ECDSA-AES256-GCM-SHA384');
    assert.equal((await probe()).protocol, 'TLSv1.3');
  });

  it('applies curvePreferences', async () => {
    const { probe } = await serve({ curvePreferences: ['CurveP384'] });
    assert.equal((await probe({ ecdhCurve: 'P-256' })).handshake, false);
    assert.ok(accepted(await probe({ ecdhCurve: 'P-384' })));
  });

  it('negotiates h2 or http/1.1 over ALPN, as the options allow', async () => {
    const { probe } = await serve({ alpnProtocols: ['h2', 'http/1.1'] });
    assert.equal((await probe({ ALPNProtocols: ['h2', 'http/1.1'] })).alpn, 'h2');
    assert.equal((await probe({ ALPNProtocols: ['http/1.1'] })).alpn, 'http/1.1');
    const h1only = await serve({ alpnProtocols: ['http/1.1'] });
    assert.equal((await h1only.probe({ ALPNProtocols: ['h2', 'http/1.1'] })).alpn, 'http/1.1');
  });

  it('sniStrict refuses unknown names and missing SNI, serves known names', async () => {
    const strict = await serve({ sniStrict: true });
    assert.equal((await strict.probe()).commonName, 'site');
    assert.equal((await strict.probe({ servername: 'unknown.test' })).handshake, false);
    assert.match(
      String(strict.clientErrors.at(-1)?.message),
      /no certificate for server name "unknown.test"/,
    );
    const noSni = await tlsProbe(strict.port);
    assert.equal(noSni.handshake, false);
    const lenient = await serve({});
    assert.equal((await lenient.probe({ servername: 'unknown.test' })).commonName, DEFAULT_CERT_COMMON_NAME);
  });
});

describe('client authentication over real handshakes', () => {
  const withCert = (c: IssuedCert): ConnectionOptions => ({ cert: c.cert, key: c.key });

  it('RequireAndVerifyClientCert (caFiles alone): only clients of the CA get through, SNI or not', async () => {
    const { probe } = await serve({ clientAuth: { caFiles: [clientCa.cert] } });
    assert.ok(accepted(await probe(withCert(goodClient))));
    assert.ok(accepted(await probe({ ...withCert(goodClient), servername: 'unlisted.test' })));
    assert.ok(accepted(await probe({ ...withCert(goodClient), servername: undefined })));
    assert.ok(!accepted(await probe({ ...withCert(foreignClient), servername: undefined })));
    assert.ok(!accepted(await probe()));
    assert.ok(!accepted(await probe(withCert(foreignClient))));
  });

  it('resumes sessions under client authentication, through the SNI-selected context', async () => {
    const { probe } = await serve({ clientAuth: { caFiles: [clientCa.cert] } });
    for (const maxVersion of ['TLSv1.2', 'TLSv1.3'] as const) {
      const first = await probe({ ...withCert(goodClient), maxVersion });
      assert.ok(first.session, maxVersion);
      const again = await probe({ ...withCert(goodClient), maxVersion, session: first.session });
      assert.ok(accepted(again), maxVersion);
      assert.equal(again.resumed, true, maxVersion);
    }
  });

  it('VerifyClientCertIfGiven: no certificate is fine, a bad one is not', async () => {
    const { probe, clientErrors } = await serve({
      clientAuth: { caFiles: [clientCa.cert], clientAuthType: 'VerifyClientCertIfGiven' },
    });
    assert.ok(accepted(await probe()));
    assert.ok(accepted(await probe(withCert(goodClient))));
    assert.ok(!accepted(await probe(withCert(foreignClient))));
    assert.match(String(clientErrors.at(-1)?.message), /client certificate rejected/);
  });

  it('RequireAnyClientCert: any certificate, verified or not, but one is needed', async () => {
    const { probe } = await serve({ clientAuth: { clientAuthType: 'RequireAnyClientCert' } });
    assert.ok(accepted(await probe(withCert(foreignClient))));
    assert.ok(!accepted(await probe()));
  });

  it('RequestClientCert and NoClientCert never refuse', async () => {
    for (const clientAuthType of ['RequestClientCert', 'NoClientCert']) {
      const { probe } = await serve({ clientAuth: { clientAuthType } });
      assert.ok(accepted(await probe()), clientAuthType);
      assert.ok(accepted(await probe(withCert(foreignClient))), clientAuthType);
    }
  });
});
