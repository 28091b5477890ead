import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type AcmeTestbed, startAcmeTestbed } from '../../../test/helpers/acme-testbed.js';
import type { Pebble } from '../../../test/helpers/pebble.js';
import { Logger } from '../../core/logger.js';
import { AcmeResolver } from './resolver.js';
import { AcmeStorage } from './storage.js';

const logger = Logger.create({ level: 'FATAL' });
const KID = 'kid-sy';
const HMAC = 'zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W';

/** The subject CN of one of pebble's roots (`/roots/<n>` of its management API). */
function rootName(pebble: Pebble, n: number): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(`${pebble.managementUrl}/roots/${n}`, { ca: readFileSync(pebble.caFile) }, (res) => {
        let pem = '';
        res.on('data', (c) => {
          pem += c;
        });
        res.on('end', () => resolve(/CN=(.*)/.exec(new X509Certificate(pem).subject)?.[1] ?? ''));
      })
      .on('error', reject);
  });
}

describe('ACME resolver against pebble: eab (external account binding) and preferredChain', () => {
  let bed: AcmeTestbed;
  let pebble: Pebble;
  let dir: string;

  before(async () => {
    bed = await startAcmeTestbed({ eabKeys: { [KID]: HMAC }, env: { PEBBLE_ALTERNATE_ROOTS: '1' } });
    ({ pebble, dir } = bed);
  });

  after(async () => {
    await bed?.stop();
  });

  const resolver = (
    file: string,
    extra: { eab?: { kid: string; hmacEncoded: string }; preferredChain?: string },
  ) => {
    const r = new AcmeResolver({
      name: 'le',
      email: 'ops@example.test',
      caServer: pebble.directoryUrl,
      keyType: 'EC256',
      storage: new AcmeStorage(join(dir, file)),
      logger,
      ...extra,
    });
    bed.answerers.push(r);
    return r;
  };

  it('registers through the binding and obtains the chain to the preferred root', async () => {
    const alternate = await rootName(pebble, 1);
    assert.notEqual(alternate, await rootName(pebble, 0));
    const got = await resolver('eab.json', {
      eab: { kid: KID, hmacEncoded: HMAC },
      preferredChain: alternate,
    }).obtain({ main: 'eab.test' });
    const chain = got.certificate.split(/(?=-----BEGIN CERTIFICATE-----)/).map((p) => new X509Certificate(p));
    assert.match(chain[0]!.subjectAltName ?? '', /eab\.test/);
    assert.equal(
      /CN=(.*)/.exec(chain.at(-1)!.issuer)?.[1],
      alternate,
      'the chain ends at the preferred root',
    );
  });

  it('is refused by a CA requiring a binding when none is configured, with a clear error', async () => {
    await assert.rejects(
      resolver('none.json', {}).obtain({ main: 'no-eab.test' }),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'UPSTREAM_FAILED');
        assert.match(err.message, /ACME resolver le: account registration: .*externalAccountBinding/);
        return true;
      },
    );
  });
});
