import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createCA,
  type IssuedCert,
  issueCert,
  selfSignedCert,
  type TestCA,
} from '../../test/helpers/certs.js';
import { SwitchyardError } from '../core/errors.js';
import {
  isInlinePem,
  loadCertificate,
  normaliseName,
  parseCertificatePair,
  readFileOrContent,
} from './load.js';

let dir: string;
let ca: TestCA;
let leaf: IssuedCert;
let other: IssuedCert;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-load-'));
  ca = await createCA({ commonName: 'Load Test Root' });
  leaf = await issueCert(ca, {
    dnsNames: ['WWW.Example.com', '*.api.example.com'],
    ipAddresses: ['127.0.0.1', '::1'],
    commonName: 'Example Leaf',
  });
  other = await issueCert(ca, { dnsNames: ['other.test'] });
  await writeFile(join(dir, 'leaf.crt'), leaf.cert);
  await writeFile(join(dir, 'leaf.key'), leaf.key);
  await writeFile(
    join(dir, 'garbage.crt'),
    '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n',
  );
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `fn`, expecting a TLS_CERTIFICATE error, and returns its message. */
function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof SwitchyardError, `expected SwitchyardError, got ${String(err)}`);
    assert.equal(err.code, 'TLS_CERTIFICATE');
    return err.message;
  }
  assert.fail('expected an error');
}

describe('loadCertificate', () => {
  it('reads files and reports names, IPs, serial and validity', () => {
    const c = loadCertificate({ certFile: join(dir, 'leaf.crt'), keyFile: join(dir, 'leaf.key') });
    assert.deepEqual(c.names, ['www.example.com', '*.api.example.com']);
    assert.deepEqual(c.ipAddresses, ['127.0.0.1', '::1']);
    assert.equal(c.commonName, 'Example Leaf');
    assert.equal(c.serial, leaf.serial);
    assert.equal(c.source, join(dir, 'leaf.crt'));
    assert.ok(c.notAfter.getTime() > Date.now());
    assert.ok(c.notBefore.getTime() <= Date.now());
    assert.match(c.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.equal(c.cert, leaf.cert);
  });

  it('takes inline PEM for either field', () => {
    const both = loadCertificate({ certFile: leaf.cert, keyFile: leaf.key });
    assert.equal(both.source, 'inline');
    const mixed = loadCertificate({ certFile: join(dir, 'leaf.crt'), keyFile: leaf.key });
    assert.equal(mixed.serial, both.serial);
  });

  it('falls back to the subject CN when there is no SAN', async () => {
    const cnOnly = await selfSignedCert({ dnsNames: [], commonName: 'Legacy.Example.org' });
    const c = parseCertificatePair(cnOnly, 'legacy');
    assert.deepEqual(c.names, ['legacy.example.org']);
    assert.deepEqual(c.ipAddresses, []);
  });

  it('detects a key that belongs to another certificate', () => {
    const message = failure(() => loadCertificate({ certFile: join(dir, 'leaf.crt'), keyFile: other.key }));
    assert.equal(message, `certificate ${join(dir, 'leaf.crt')}: private key does not match the certificate`);
  });

  it('names the file and the reason when something cannot be read or parsed', () => {
    const missing = join(dir, 'missing.crt');
    assert.equal(
      failure(() => loadCertificate({ certFile: missing, keyFile: leaf.key })),
      `certificate ${missing}: cannot read certificate file ${missing}: ENOENT`,
    );
    assert.match(
      failure(() => loadCertificate({ certFile: leaf.cert, keyFile: join(dir, 'nope.key') })),
      /^certificate inline: cannot read key file .*nope\.key: ENOENT$/,
    );
    assert.match(
      failure(() => loadCertificate({ certFile: join(dir, 'garbage.crt'), keyFile: leaf.key })),
      /^certificate .*garbage\.crt: invalid certificate: /,
    );
    assert.match(
      failure(() => loadCertificate({ certFile: leaf.cert, keyFile: '-----BEGIN PRIVATE KEY-----\nAAAA\n' })),
      /^certificate inline: invalid private key: /,
    );
    assert.equal(
      failure(() => loadCertificate({ certFile: join(dir, 'leaf.key'), keyFile: leaf.key })),
      `certificate ${join(dir, 'leaf.key')}: no PEM certificate found`,
    );
    assert.equal(
      failure(() => loadCertificate({ certFile: '', keyFile: leaf.key })),
      'certificate : certificate file is empty',
    );
  });

  it('refuses a public key where the private key should be', () => {
    const message = failure(() =>
      parseCertificatePair({ cert: leaf.cert, key: publicKeyPem(leaf) }, 'x.crt'),
    );
    assert.equal(message, 'certificate x.crt: key file holds a public key, not the private key');
    assert.equal(
      failure(() => parseCertificatePair({ cert: leaf.cert, key: 'nothing here' }, 'x.crt')),
      'certificate x.crt: no PEM private key found',
    );
  });
});

describe('file-or-content values', () => {
  it('treats values containing -----BEGIN as inline PEM', () => {
    assert.equal(isInlinePem(leaf.cert), true);
    assert.equal(isInlinePem('/etc/ssl/cert.pem'), false);
    assert.equal(readFileOrContent(leaf.key, 'key file'), leaf.key);
    assert.equal(readFileOrContent(join(dir, 'leaf.key'), 'key file'), leaf.key);
  });

  it('normalises names for lookups', () => {
    assert.equal(normaliseName('WWW.Example.COM.'), 'www.example.com');
    assert.equal(normaliseName('*.Example.com'), '*.example.com');
  });
});

function publicKeyPem(pair: IssuedCert): string {
  // The certificate's public key in PEM, to stand in for a wrongly chosen key file.
  return new X509Certificate(pair.cert).publicKey.export({ type: 'spki', format: 'pem' }).toString();
}
