import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type tls from 'node:tls';
import { tlsProbe } from '../../test/helpers/certs.js';
import { Logger } from '../core/logger.js';
import { generateDefaultCertificate } from './generate-default.js';
import type { CertPair } from './load.js';
import { resolveTlsOptions } from './options.js';
import { buildCertificateStore } from './store.js';
import { singleChoiceRouting, TlsTerminator } from './terminator.js';
import {
  type FixtureCertificate,
  KEY_TYPES,
  type KeyType,
  listenTerminator,
  opensslCertificate,
  tlsExchange,
} from './test-tls-fixtures.js';

const logger = Logger.create({ level: 'FATAL' });
const VERSIONS = ['TLSv1.2', 'TLSv1.3'] as const;

let certificates: Record<KeyType, FixtureCertificate>;
let generatedDefault: CertPair;
let rsaDefault: FixtureCertificate;
const listeners: { close(): Promise<void> }[] = [];

before(async () => {
  const made = await Promise.all(KEY_TYPES.map((t) => opensslCertificate(t, [`${t}.test`])));
  certificates = Object.fromEntries(made.map((c) => [c.keyType, c])) as Record<KeyType, FixtureCertificate>;
  [generatedDefault, rsaDefault] = await Promise.all([
    generateDefaultCertificate(),
    opensslCertificate('rsa2048', ['fallback.test']),
  ]);
});

after(async () => {
  await Promise.all(listeners.map((l) => l.close()));
});

/** A TCP listener that hands TLS connections to a terminator, like an entrypoint; answers `ok`. */
async function serve(defaultCertificate?: CertPair, helloTimeoutMs?: number): Promise<number> {
  const options = resolveTlsOptions({}, { name: 'default' });
  const { store, errors } = buildCertificateStore({
    certificates: KEY_TYPES.map((t) => ({ certFile: certificates[t].cert, keyFile: certificates[t].key })),
    defaultCertificate: defaultCertificate && {
      certFile: defaultCertificate.cert,
      keyFile: defaultCertificate.key,
    },
    generatedDefault,
    contextOptions: options.contextOptions,
  });
  assert.deepEqual(errors, []);
  const terminator = new TlsTerminator(
    singleChoiceRouting({ optionsName: 'default', options, store }),
    (socket) => socket.end('ok'),
    logger,
    { helloTimeoutMs },
  );
  const listener = await listenTerminator(terminator);
  listeners.push(listener);
  return listener.port;
}

/** Handshakes and returns the certificate the server presented and what it sent. */
function servedFingerprint(port: number, servername: string | undefined, version: tls.SecureVersion) {
  return tlsExchange(port, { servername, version });
}

function fingerprintOf(pair: CertPair): string {
  return new X509Certificate(pair.cert).fingerprint256;
}

describe('certificates of every key type, chosen by SNI, over TLS 1.2 and 1.3', () => {
  for (const [label, pick] of [
    ['generated ECDSA default certificate', () => undefined],
    ['user RSA default certificate', () => rsaDefault],
  ] as const) {
    describe(`with the ${label}`, () => {
      let port: number;
      before(async () => {
        port = await serve(pick());
      });

      for (const version of VERSIONS) {
        for (const keyType of KEY_TYPES) {
          it(`serves the ${keyType} certificate to a ${version} client asking for ${keyType}.test`, async () => {
            const got = await servedFingerprint(port, `${keyType}.test`, version);
            assert.equal(got.protocol, version);
            assert.equal(got.data, 'ok');
            assert.equal(got.fingerprint, certificates[keyType].fingerprint);
          });
        }
        it(`serves the default certificate over ${version} without SNI and for an unknown name`, async () => {
          const expected = fingerprintOf(pick() ?? generatedDefault);
          assert.equal((await servedFingerprint(port, undefined, version)).fingerprint, expected);
          assert.equal((await servedFingerprint(port, 'unknown.test', version)).fingerprint, expected);
        });
      }
    });
  }
});

/** Runs `openssl s_client` and returns the subject of the certificate it was given. */
async function opensslSubject(port: number, args: string[]): Promise<string> {
  const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    out += d;
  });
  await once(child, 'close');
  return /^subject=(.*)$/m.exec(out)?.[1]?.trim() ?? `no subject in: ${out.slice(0, 200)}`;
}

describe('openssl s_client sees the certificate chosen by SNI', () => {
  let port: number;
  before(async () => {
    port = await serve();
  });

  for (const version of ['-tls1_2', '-tls1_3']) {
    it(`gets the RSA certificate over ${version} with the ECDSA default certificate in place`, async () => {
      assert.match(
        await opensslSubject(port, ['-servername', 'rsa2048.test', version]),
        /CN = rsa2048\.test/,
      );
      assert.match(
        await opensslSubject(port, ['-servername', 'ed25519.test', version]),
        /CN = ed25519\.test/,
      );
      assert.match(await opensslSubject(port, ['-noservername', version]), /CN = TRAEFIK DEFAULT CERT/);
    });
  }
});

describe('connections that never complete a ClientHello', () => {
  it('closes a connection that stalls mid-ClientHello and one that sends garbage after 0x16', async () => {
    const port = await serve(undefined, 100);
    for (const bytes of [
      Buffer.from([0x16, 0x03, 0x01, 0x02]),
      Buffer.from('\x16 not a tls record at all'),
    ]) {
      const client = net.connect(port, '127.0.0.1');
      client.on('error', () => {});
      client.write(bytes);
      client.resume();
      await once(client, 'close');
    }
    // The listener keeps serving.
    assert.equal(
      (await servedFingerprint(port, 'p256.test', 'TLSv1.3')).fingerprint,
      certificates.p256.fingerprint,
    );
  });
});

describe('a choice whose store was built with other options', () => {
  it('closes the connection instead of applying half of each options set', async () => {
    const strict = resolveTlsOptions({ minVersion: 'VersionTLS13' }, { name: 'modern' });
    const { store } = buildCertificateStore({ certificates: [], generatedDefault });
    const listener = await listenTerminator(
      new TlsTerminator(
        singleChoiceRouting({ optionsName: 'modern', options: strict, store }),
        (s) => s.end('ok'),
        logger,
      ),
    );
    listeners.push(listener);
    const probe = await tlsProbe(listener.port, { servername: 'p256.test' });
    assert.equal(probe.handshake, false);
    assert.equal(probe.data, '');
  });
});
