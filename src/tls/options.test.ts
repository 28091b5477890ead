import assert from 'node:assert/strict';
import { constants as cryptoConstants } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSecureContext } from 'node:tls';
import { createCA, type TestCA } from '../../test/helpers/certs.js';
import { SwitchyardError } from '../core/errors.js';
import { TLS13_SUITES } from './go-names.js';
import { resolveTlsOptions, type TlsOptionsConfig } from './options.js';

let dir: string;
let clientCa: TestCA;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-options-'));
  clientCa = await createCA({ commonName: 'Options Client CA' });
  await writeFile(join(dir, 'ca.pem'), clientCa.cert);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function invalid(config: TlsOptionsConfig, name?: string): string {
  try {
    resolveTlsOptions(config, name === undefined ? {} : { name });
  } catch (err) {
    assert.ok(err instanceof SwitchyardError);
    assert.equal(err.code, 'CONFIG_INVALID');
    return err.message;
  }
  assert.fail('expected CONFIG_INVALID');
}

describe('resolveTlsOptions', () => {
  it('defaults like Traefik, minus what Switchyard does not serve', () => {
    const r = resolveTlsOptions();
    assert.equal(r.contextOptions.minVersion, 'TLSv1.2');
    assert.equal(r.contextOptions.maxVersion, undefined);
    assert.equal(r.contextOptions.ciphers, undefined);
    assert.equal(r.contextOptions.ecdhCurve, undefined);
    assert.equal(r.contextOptions.ca, undefined);
    assert.equal(r.contextOptions.sessionIdContext?.length, 32);
    assert.deepEqual(r.alpnProtocols, ['h2', 'http/1.1']);
    assert.equal(r.requestCert, false);
    assert.equal(r.rejectUnauthorized, false);
    assert.equal(r.clientAuthType, 'NoClientCert');
    assert.equal(r.sniStrict, false);
    assert.equal(r.checkClient, undefined);
    assert.deepEqual(r.warnings, []);
    assert.ok(Object.isFrozen(r.contextOptions));
  });

  it('maps versions', () => {
    const r = resolveTlsOptions({ minVersion: 'VersionTLS11', maxVersion: 'VersionTLS13' });
    assert.equal(r.contextOptions.minVersion, 'TLSv1.1');
    assert.equal(r.contextOptions.maxVersion, 'TLSv1.3');
    const modern = resolveTlsOptions({ minVersion: 'VersionTLS13' });
    assert.equal(modern.contextOptions.minVersion, 'TLSv1.3');
  });

  it('lowers the OpenSSL security level only when TLS 1.0/1.1 are allowed', () => {
    assert.match(
      String(resolveTlsOptions({ minVersion: 'VersionTLS10' }).contextOptions.ciphers),
      /:@SECLEVEL=0$/,
    );
    assert.equal(resolveTlsOptions({ minVersion: 'VersionTLS12' }).contextOptions.ciphers, undefined);
  });

  it('maps Go cipher suite names to OpenSSL ones and keeps TLS 1.3 suites on', () => {
    const r = resolveTlsOptions({
      cipherSuites: [
        'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
        'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
        'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
        'TLS_AES_128_GCM_SHA256',
      ],
    });
    assert.equal(
      r.contextOptions.ciphers,
      `${TLS13_SUITES}:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305`,
    );
  });

  it('maps curve names in their Go and SEC spellings', () => {
    const r = resolveTlsOptions({ curvePreferences: ['CurveP384', 'x25519', 'secp256r1', 'CurveP256'] });
    assert.equal(r.contextOptions.ecdhCurve, 'P-384:X25519:P-256');
  });

  it('accepts post-quantum hybrids only where the OpenSSL build has them', () => {
    let supported = true;
    try {
      createSecureContext({ ecdhCurve: 'X25519MLKEM768' });
    } catch {
      supported = false;
    }
    if (supported) {
      assert.equal(
        resolveTlsOptions({ curvePreferences: ['X25519MLKEM768'] }).contextOptions.ecdhCurve,
        'X25519MLKEM768',
      );
    } else {
      assert.match(
        invalid({ curvePreferences: ['X25519MLKEM768'] }),
        /X25519MLKEM768 is not supported by this Node\.js build/,
      );
    }
  });

  it('reports every problem at once, with suggestions', () => {
    const message = invalid(
      {
        minVersion: 'VersionTLS1.3',
        cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA265', 'TLS_RSA_WITH_RC4_128_SHA'],
        curvePreferences: ['CurveP257'],
        clientAuth: { clientAuthType: 'RequireAndVerifyClientCerts' },
      },
      'broken',
    );
    assert.match(message, /^tls\.options\.broken: /);
    assert.match(
      message,
      /minVersion: unknown TLS version "VersionTLS1\.3" \(did you mean "VersionTLS13"\?\)/,
    );
    assert.match(
      message,
      /unknown cipher suite "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA265" \(did you mean "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"\?\)/,
    );
    assert.match(message, /TLS_RSA_WITH_RC4_128_SHA is not available in this Node\.js build/);
    assert.match(message, /unknown curve "CurveP257" \(did you mean "CurveP256"\?\)/);
    assert.match(
      message,
      /unknown value "RequireAndVerifyClientCerts" \(did you mean "RequireAndVerifyClientCert"\?\)/,
    );
  });

  it('refuses a minimum above the maximum', () => {
    assert.match(
      invalid({ minVersion: 'VersionTLS13', maxVersion: 'VersionTLS12' }),
      /minVersion VersionTLS13 is above maxVersion VersionTLS12/,
    );
  });

  it('advertises only ALPN protocols Switchyard serves, never acme-tls/1', () => {
    const r = resolveTlsOptions({ alpnProtocols: ['h2', 'http/1.1', 'acme-tls/1', 'h3'] });
    assert.deepEqual(r.alpnProtocols, ['h2', 'http/1.1']);
    assert.deepEqual(r.warnings, ['alpnProtocols: "h3" is not served by Switchyard yet; not advertised']);
    assert.deepEqual(resolveTlsOptions({ alpnProtocols: ['http/1.1'] }).alpnProtocols, ['http/1.1']);
    assert.deepEqual(resolveTlsOptions({ alpnProtocols: ['h2'] }).alpnProtocols, ['h2']);
  });

  it('turns off session tickets on request', () => {
    const r = resolveTlsOptions({ disableSessionTickets: true });
    assert.equal(r.contextOptions.secureOptions, cryptoConstants.SSL_OP_NO_TICKET);
  });

  it('gives each option set its own session id context', () => {
    const a = resolveTlsOptions({}, { name: 'a' }).contextOptions.sessionIdContext;
    assert.equal(resolveTlsOptions({}, { name: 'a' }).contextOptions.sessionIdContext, a);
    assert.notEqual(resolveTlsOptions({}, { name: 'b' }).contextOptions.sessionIdContext, a);
  });
});

describe('resolveTlsOptions clientAuth', () => {
  it('requires and verifies client certificates when only caFiles is given (Traefik default)', () => {
    const r = resolveTlsOptions({ clientAuth: { caFiles: [join(dir, 'ca.pem')] } });
    assert.equal(r.clientAuthType, 'RequireAndVerifyClientCert');
    assert.equal(r.requestCert, true);
    assert.equal(r.rejectUnauthorized, true);
    assert.equal(r.checkClient, undefined);
    assert.deepEqual(r.contextOptions.ca, [clientCa.cert]);
  });

  it('maps the modes Node cannot enforce in the handshake to a post-handshake check', () => {
    for (const type of ['VerifyClientCertIfGiven', 'RequireAnyClientCert']) {
      const r = resolveTlsOptions({ clientAuth: { caFiles: [clientCa.cert], clientAuthType: type } });
      assert.equal(r.requestCert, true, type);
      assert.equal(r.rejectUnauthorized, false, type);
      assert.equal(typeof r.checkClient, 'function', type);
    }
    const request = resolveTlsOptions({ clientAuth: { clientAuthType: 'RequestClientCert' } });
    assert.deepEqual(
      [request.requestCert, request.rejectUnauthorized, request.checkClient],
      [true, false, undefined],
    );
    const none = resolveTlsOptions({
      clientAuth: { caFiles: [clientCa.cert], clientAuthType: 'NoClientCert' },
    });
    assert.deepEqual([none.requestCert, none.contextOptions.ca], [false, undefined]);
  });

  it('needs caFiles for the verifying modes and readable CA files', () => {
    assert.match(
      invalid({ clientAuth: { clientAuthType: 'VerifyClientCertIfGiven' } }),
      /clientAuthType VerifyClientCertIfGiven needs clientAuth\.caFiles/,
    );
    const missing = join(dir, 'missing-ca.pem');
    assert.match(
      invalid({ clientAuth: { caFiles: [missing] } }),
      new RegExp(
        `clientAuth\\.caFiles: CA ${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot read CA file`,
      ),
    );
    assert.match(
      invalid({
        clientAuth: { caFiles: ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'] },
      }),
      /clientAuth\.caFiles: CA inline: /,
    );
  });
});
