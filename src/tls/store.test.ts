import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createCA,
  type IssuedCert,
  issueCert,
  startTlsServer,
  type TestCA,
  tlsProbe,
} from '../../test/helpers/certs.js';
import { DEFAULT_CERT_COMMON_NAME, generateDefaultCertificate } from './generate-default.js';
import type { CertPair } from './load.js';
import { buildCertificateStore, type CertificateStore } from './store.js';

let dir: string;
let ca: TestCA;
let exactA: IssuedCert;
let wildcard: IssuedCert;
let fromFiles: IssuedCert;
let configuredDefault: IssuedCert;
let generatedDefault: CertPair;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-tls-'));
  ca = await createCA({ commonName: 'Store Test Root' });
  [exactA, wildcard, fromFiles, configuredDefault, generatedDefault] = await Promise.all([
    issueCert(ca, { dnsNames: ['a.example.com'], commonName: 'exact-a' }),
    issueCert(ca, { dnsNames: ['*.example.com'], commonName: 'wildcard' }),
    issueCert(ca, { dnsNames: ['files.test', 'Mixed.Case.Test'], commonName: 'from-files' }),
    issueCert(ca, { dnsNames: ['default.test'], commonName: 'configured-default' }),
    generateDefaultCertificate(),
  ]);
  await writeFile(join(dir, 'files.crt'), fromFiles.cert);
  await writeFile(join(dir, 'files.key'), fromFiles.key);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const inline = (c: IssuedCert) => ({ certFile: c.cert, keyFile: c.key });

/** Starts a server on the store and reports the CN served for each server name (undefined = no SNI). */
async function servedNames(
  store: CertificateStore,
  names: (string | undefined)[],
): Promise<(string | undefined)[]> {
  const srv = await startTlsServer({ ...store.defaultPair, SNICallback: store.sniCallback });
  try {
    const out: (string | undefined)[] = [];
    for (const servername of names) {
      const probe = await tlsProbe(srv.port, servername === undefined ? {} : { servername });
      assert.equal(probe.data, 'ok', `handshake for ${servername}: ${probe.error}`);
      out.push(probe.commonName);
    }
    return out;
  } finally {
    await srv.close();
  }
}

describe('certificate store over real TLS handshakes', () => {
  it('prefers an exact name over a wildcard, whatever the order in the configuration', async () => {
    const { store, errors } = buildCertificateStore({
      certificates: [inline(wildcard), inline(exactA)],
      generatedDefault,
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(await servedNames(store, ['a.example.com', 'b.example.com']), ['exact-a', 'wildcard']);
  });

  it('lets a wildcard cover exactly one label', async () => {
    const { store } = buildCertificateStore({ certificates: [inline(wildcard)], generatedDefault });
    assert.deepEqual(await servedNames(store, ['x.example.com', 'x.y.example.com', 'example.com']), [
      'wildcard',
      DEFAULT_CERT_COMMON_NAME,
      DEFAULT_CERT_COMMON_NAME,
    ]);
  });

  it('falls back to the configured default, then to the generated default', async () => {
    const withDefault = buildCertificateStore({
      certificates: [inline(exactA)],
      defaultCertificate: inline(configuredDefault),
      generatedDefault,
    });
    assert.deepEqual(await servedNames(withDefault.store, ['unknown.test', undefined]), [
      'configured-default',
      'configured-default',
    ]);
    const without = buildCertificateStore({ certificates: [inline(exactA)], generatedDefault });
    assert.deepEqual(await servedNames(without.store, ['unknown.test', undefined]), [
      DEFAULT_CERT_COMMON_NAME,
      DEFAULT_CERT_COMMON_NAME,
    ]);
  });

  it('serves certificates given as file paths and as inline PEM alike', async () => {
    const { store, errors } = buildCertificateStore({
      certificates: [{ certFile: join(dir, 'files.crt'), keyFile: join(dir, 'files.key') }, inline(exactA)],
      generatedDefault,
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(await servedNames(store, ['files.test', 'a.example.com', 'MIXED.case.test']), [
      'from-files',
      'exact-a',
      'from-files',
    ]);
    const sources = store.certificates().map((c) => c.source);
    assert.deepEqual(sources, [join(dir, 'files.crt'), 'inline', 'generated']);
  });

  it('skips a broken certificate with its error and serves the others', async () => {
    const { store, errors } = buildCertificateStore({
      certificates: [
        { certFile: join(dir, 'missing.crt'), keyFile: join(dir, 'missing.key') },
        inline(exactA),
        { certFile: wildcard.cert, keyFile: exactA.key },
      ],
      generatedDefault,
    });
    assert.equal(errors.length, 2);
    assert.equal(errors[0]!.index, 0);
    assert.equal(errors[0]!.level, 'error');
    assert.match(errors[0]!.error, /^certificate .*missing\.crt: cannot read certificate file .*ENOENT/);
    assert.equal(errors[1]!.index, 2);
    assert.match(errors[1]!.error, /^certificate inline: private key does not match the certificate$/);
    assert.deepEqual(await servedNames(store, ['a.example.com', 'b.example.com']), [
      'exact-a',
      DEFAULT_CERT_COMMON_NAME,
    ]);
  });

  it('sends the whole chain so that clients trusting only the root verify it', async () => {
    const intermediate = await createCA({ commonName: 'Store Test Intermediate', issuer: ca });
    const leaf = await issueCert(intermediate, { dnsNames: ['chain.test'], commonName: 'chained' });
    const { store } = buildCertificateStore({
      certificates: [{ certFile: leaf.fullChain, keyFile: leaf.key }],
      generatedDefault,
    });
    const srv = await startTlsServer({ ...store.defaultPair, SNICallback: store.sniCallback });
    try {
      const probe = await tlsProbe(srv.port, {
        servername: 'chain.test',
        ca: ca.cert,
        rejectUnauthorized: true,
      });
      assert.equal(probe.commonName, 'chained');
      assert.equal(probe.data, 'ok');
    } finally {
      await srv.close();
    }
  });
});

describe('certificate store selection', () => {
  it('ignores case and a trailing dot', () => {
    const { store } = buildCertificateStore({
      certificates: [inline(exactA), inline(wildcard)],
      generatedDefault,
    });
    const a = store.select('a.example.com');
    assert.equal(store.select('A.EXAMPLE.com.'), a);
    assert.equal(store.select('B.Example.Com.'), store.select('b.example.com'));
    assert.notEqual(store.select('b.example.com'), a);
    assert.equal(store.select(undefined), store.defaultContext);
    assert.equal(store.select(''), store.defaultContext);
    assert.equal(store.match('nothing.test'), undefined);
    assert.equal(store.match('a.example.com'), a);
  });

  it('honours only the default store and warns about certificates meant for others', () => {
    const { store, errors } = buildCertificateStore({
      certificates: [
        { ...inline(exactA), stores: ['internal'] },
        { ...inline(wildcard), stores: ['internal', 'default'] },
      ],
      generatedDefault,
    });
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.index, 0);
    assert.equal(errors[0]!.level, 'warning');
    assert.match(errors[0]!.error, /stores \[internal\] do not include "default"/);
    assert.equal(store.select('a.example.com'), store.select('other.example.com'));
    assert.notEqual(store.match('a.example.com'), undefined);
  });

  it('keeps the first certificate for a name and warns when a later one adds nothing', () => {
    const { store, errors } = buildCertificateStore({
      certificates: [inline(exactA), inline(exactA)],
      generatedDefault,
    });
    assert.deepEqual(
      errors.map((e) => [e.index, e.level]),
      [[1, 'warning']],
    );
    assert.equal(store.certificates().length, 3);
  });

  it('serves an expired certificate but warns about it', async () => {
    const expired = await issueCert(ca, {
      dnsNames: ['old.test'],
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      validDays: 1,
    });
    const { store, errors } = buildCertificateStore({ certificates: [inline(expired)], generatedDefault });
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.level, 'warning');
    assert.match(errors[0]!.error, /^certificate inline: expired on \d{4}-/);
    assert.notEqual(store.match('old.test'), undefined);
  });

  it('records a broken default certificate and serves the generated one', () => {
    const { store, errors } = buildCertificateStore({
      certificates: [],
      defaultCertificate: { certFile: join(dir, 'nope.crt'), keyFile: join(dir, 'nope.key') },
      generatedDefault,
    });
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.index, -1);
    assert.match(errors[0]!.error, /^default certificate .*nope\.crt: cannot read certificate file/);
    assert.deepEqual(
      store.certificates().map((c) => [c.role, c.commonName]),
      [['generated-default', DEFAULT_CERT_COMMON_NAME]],
    );
  });

  it('lists certificates with names, expiry and serial for the API', () => {
    const { store } = buildCertificateStore({
      certificates: [inline(wildcard)],
      defaultCertificate: inline(configuredDefault),
      generatedDefault,
    });
    const [first, second] = store.certificates();
    assert.deepEqual(first!.names, ['*.example.com']);
    assert.equal(first!.serial, wildcard.serial);
    assert.equal(first!.role, 'certificate');
    assert.equal(first!.index, 0);
    assert.ok(first!.notAfter.getTime() > Date.now());
    assert.equal(second!.role, 'default');
    assert.equal(second!.commonName, 'configured-default');
  });

  it('answers SNI callbacks without failing, and fails strict ones for unknown names', () => {
    const { store } = buildCertificateStore({ certificates: [inline(exactA)], generatedDefault });
    const seen: [Error | null, unknown][] = [];
    const record = (err: Error | null, ctx?: unknown) => seen.push([err, ctx]);
    store.sniCallback('unknown.test', record);
    store.strictSniCallback('a.example.com', record);
    store.strictSniCallback('unknown.test', record);
    assert.deepEqual(seen[0], [null, store.defaultContext]);
    assert.deepEqual(seen[1], [null, store.match('a.example.com')]);
    assert.match(String(seen[2]![0]?.message), /sniStrict: no certificate for server name "unknown.test"/);
  });
});
