import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type AcmeTestbed, startAcmeTestbed } from '../../../test/helpers/acme-testbed.js';
import type { Pebble } from '../../../test/helpers/pebble.js';
import { Logger } from '../../core/logger.js';
import { parseCertificatePair } from '../load.js';
import { AcmeResolver } from './resolver.js';
import { AcmeStorage } from './storage.js';

const logger = Logger.create({ level: 'FATAL' });
const CHALLENGE_PREFIX = '/.well-known/acme-challenge/';

describe('ACME resolver against a real pebble (HTTP-01, pebble rejecting some nonces)', () => {
  let bed: AcmeTestbed;
  let pebble: Pebble;
  let dir: string;
  let seen: string[];
  const resolvers: AcmeResolver[] = [];

  before(async () => {
    bed = await startAcmeTestbed();
    ({ pebble, dir, seen } = bed);
  });

  after(async () => {
    await bed?.stop();
  });

  const resolver = (storage: AcmeStorage) => {
    const r = new AcmeResolver({
      name: 'le',
      email: 'ops@example.test',
      caServer: pebble.directoryUrl,
      keyType: 'EC256',
      storage,
      logger,
    });
    resolvers.push(r);
    bed.answerers.push(r);
    return r;
  };

  it('registers an account, obtains a certificate for main + sans, and stores both as Traefik does', async () => {
    const path = join(dir, 'acme.json');
    const got = await resolver(new AcmeStorage(path)).obtain({ main: 'a.test', sans: ['b.test'] });
    const loaded = parseCertificatePair({ cert: got.certificate, key: got.key }, 'acme');
    assert.deepEqual(loaded.names.sort(), ['a.test', 'b.test']);
    assert.match(new X509Certificate(got.certificate).issuer, /Pebble Intermediate/);
    assert.ok(
      seen.some((u) => u.startsWith(CHALLENGE_PREFIX)),
      'pebble fetched an HTTP-01 token',
    );

    const file = JSON.parse(readFileSync(path, 'utf8'));
    const account = file.le.Account;
    assert.equal(account.Email, 'ops@example.test');
    assert.match(account.Registration.uri, /^https:\/\/127\.0\.0\.1:\d+\/my-account\//);
    assert.equal(account.Registration.body.status, 'valid');
    const key = createPrivateKey({
      key: Buffer.from(account.PrivateKey, 'base64'),
      format: 'der',
      type: 'pkcs1',
    });
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 4096);
    const [stored] = file.le.Certificates;
    assert.deepEqual(stored.domain, { main: 'a.test', sans: ['b.test'] });
    assert.equal(stored.Store, 'default');
    assert.equal(Buffer.from(stored.certificate, 'base64').toString(), got.certificate);
    assert.equal(Buffer.from(stored.key, 'base64').toString(), got.key);
  });

  it('reuses the stored account for the next order, from a fresh process view of the file', async () => {
    const path = join(dir, 'acme.json');
    const before = JSON.parse(readFileSync(path, 'utf8')).le.Account;
    const got = await resolver(new AcmeStorage(path)).obtain({ main: 'c.test' });
    assert.deepEqual(parseCertificatePair({ cert: got.certificate, key: got.key }, 'acme').names, ['c.test']);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    assert.deepEqual(file.le.Account, before);
    assert.deepEqual(
      file.le.Certificates.map((c: { domain: { main: string } }) => c.domain.main),
      ['a.test', 'c.test'],
    );
  });

  it('answers no key authorization for an unknown token', async () => {
    assert.equal(await resolvers[0]!.httpChallenge('not-a-token'), undefined);
  });

  it('fails with a clear error when the CA refuses the order, and keeps serving', async () => {
    const r = resolver(new AcmeStorage(join(dir, 'refused.json')));
    await assert.rejects(r.obtain({ main: 'bad..name' }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'UPSTREAM_FAILED');
      assert.match(err.message, /ACME resolver le: certificate for bad\.\.name/);
      return true;
    });
  });
});
