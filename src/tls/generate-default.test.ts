import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { DEFAULT_CERT_COMMON_NAME, generateDefaultCertificate } from './generate-default.js';
import { parseCertificatePair } from './load.js';

const DAY_MS = 86_400_000;

describe('generateDefaultCertificate', () => {
  it('makes a self-signed certificate named like Traefik', async () => {
    const pair = await generateDefaultCertificate();
    const x509 = new X509Certificate(pair.cert);
    assert.equal(DEFAULT_CERT_COMMON_NAME, 'TRAEFIK DEFAULT CERT');
    assert.match(x509.subject, /^CN=TRAEFIK DEFAULT CERT$/m);
    assert.match(x509.subject, /^O=Switchyard$/m);
    assert.equal(x509.issuer, x509.subject);
    assert.ok(x509.verify(x509.publicKey), 'self-signed');
    assert.match(String(x509.subjectAltName), /^DNS:[0-9a-f]{32}\.[0-9a-f]{32}\.traefik\.default$/);
    assert.equal(x509.ca, false);
    assert.ok(x509.checkPrivateKey(createPrivateKey(pair.key)));
    assert.match(pair.key, /^-----BEGIN PRIVATE KEY-----/);
  });

  it('is valid for about a year from now', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const c = parseCertificatePair(await generateDefaultCertificate({ now }), 'generated');
    assert.equal(c.notBefore.getTime(), now.getTime());
    assert.equal(c.notAfter.getTime() - c.notBefore.getTime(), 365 * DAY_MS);
    assert.deepEqual(c.names.length, 1);
  });

  it('differs on every call', async () => {
    const [a, b] = await Promise.all([generateDefaultCertificate(), generateDefaultCertificate()]);
    assert.notEqual(new X509Certificate(a.cert).serialNumber, new X509Certificate(b.cert).serialNumber);
    assert.notEqual(a.key, b.key);
  });
});
