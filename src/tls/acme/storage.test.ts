import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AcmeStorage } from './storage.js';

const dir = mkdtempSync(join(tmpdir(), 'sy-acme-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const pem = (label: string) => `-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`;

describe('AcmeStorage (Traefik acme.json layout)', () => {
  it('reads a file in the layout Traefik writes, dropping empty certificates', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const path = join(dir, 'traefik.json');
    writeFileSync(
      path,
      JSON.stringify({
        myresolver: {
          Account: {
            Email: 'ops@example.test',
            Registration: {
              body: { status: 'valid', contact: ['mailto:ops@example.test'] },
              uri: 'https://ca.test/acct/1',
            },
            PrivateKey: privateKey.export({ type: 'pkcs1', format: 'der' }).toString('base64'),
            KeyType: '4096',
          },
          Certificates: [
            {
              domain: { main: 'a.test', sans: ['b.test'] },
              certificate: Buffer.from(pem('CERTIFICATE')).toString('base64'),
              key: Buffer.from(pem('PRIVATE KEY')).toString('base64'),
              Store: 'default',
            },
            { domain: { main: 'empty.test' }, certificate: '', key: '', Store: 'default' },
          ],
        },
      }),
    );
    const storage = new AcmeStorage(path);
    const account = storage.account('myresolver');
    assert.equal(account?.url, 'https://ca.test/acct/1');
    assert.match(account?.keyPem ?? '', /BEGIN RSA PRIVATE KEY/);
    assert.deepEqual(storage.certificates('myresolver'), [
      {
        main: 'a.test',
        sans: ['b.test'],
        certificate: pem('CERTIFICATE'),
        key: pem('PRIVATE KEY'),
        store: 'default',
      },
    ]);
    assert.equal(storage.account('other'), undefined);
    assert.deepEqual(storage.certificates('other'), []);
  });

  it('writes back what it reads, mode 0600, replacing a certificate with the same main domain', () => {
    const path = join(dir, 'round.json');
    const storage = new AcmeStorage(path);
    const cert = {
      main: 'a.test',
      sans: [],
      certificate: pem('CERTIFICATE'),
      key: pem('PRIVATE KEY'),
      store: 'default',
    };
    storage.saveCertificate('r', cert);
    storage.saveCertificate('r', { ...cert, sans: ['www.a.test'] });
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const again = new AcmeStorage(path);
    assert.deepEqual(again.certificates('r'), [{ ...cert, sans: ['www.a.test'] }]);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')).r.Certificates[0].domain, {
      main: 'a.test',
      sans: ['www.a.test'],
    });
  });

  it('refuses a malformed file with a clear error, and reports an unwritable one', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"r": [1, 2]');
    assert.throws(() => new AcmeStorage(bad), /ACME storage .*bad\.json is not valid JSON/);
    writeFileSync(bad, '{"r": {"Certificates": {}}}');
    assert.throws(() => new AcmeStorage(bad), /r\.Certificates is not a list/);
    writeFileSync(bad, '');
    assert.deepEqual(new AcmeStorage(bad).certificates('r'), []);
    const nowhere = new AcmeStorage(join(dir, 'missing-dir', 'acme.json'));
    assert.throws(
      () =>
        nowhere.saveCertificate('r', {
          main: 'a.test',
          sans: [],
          certificate: 'c',
          key: 'k',
          store: 'default',
        }),
      (err: Error & { code?: string }) =>
        err.code === 'PROVIDER_READ' && /cannot be written/.test(err.message),
    );
  });
});
