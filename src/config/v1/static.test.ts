import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'smol-toml';
import { REPO_ROOT } from '../../../test/helpers/cli.js';
import { normalize } from '../schema/normalize.js';
import { staticSchema } from '../static/schema.js';
import { isV1Dynamic, isV1Static } from './detect.js';
import { convertV1Static } from './static.js';

const fixtures = join(REPO_ROOT, 'test', 'fixtures', 'v1');
const seed = (name: string) => parse(readFileSync(join(fixtures, name), 'utf8'));

/** The converted static tree must validate as v3 static configuration. */
function assertValidV3(tree: unknown) {
  const { issues } = normalize(staticSchema, tree, { locate: () => undefined, fromStrings: false });
  assert.deepEqual(issues, []);
}

describe('isV1Static / isV1Dynamic', () => {
  it('tells v1 from v3', () => {
    assert.equal(isV1Static({ defaultEntryPoints: ['http'] }), true);
    assert.equal(isV1Static({ LogLevel: 'INFO' }), true);
    assert.equal(isV1Static({ entryPoints: { https: { address: ':443', tls: {} } } }), true);
    assert.equal(isV1Static({ entryPoints: { web: { address: ':80' } }, providers: { file: {} } }), false);
    assert.equal(isV1Static({ entryPoints: { web: { address: ':80' } } }), false);
    assert.equal(isV1Dynamic({ frontends: {} }), true);
    assert.equal(isV1Dynamic({ http: { routers: {} } }), false);
  });
});

describe('convertV1Static', () => {
  it('seed 000 (tabs and spaces, ReccentError misspelt) converts with a warning, not an error', () => {
    const tree = seed('000-qt-mirror.toml');
    assert.equal(isV1Static(tree), true);
    const out = convertV1Static(tree);
    assert.ok(out.warnings.some((w) => /ReccentError.*did you mean "recentErrors"/.test(w)));
    assert.deepEqual(out.static.api, { insecure: true, dashboard: true });
    assert.deepEqual(out.static.entryPoints, {
      http: { address: '127.0.0.1:0', asDefault: true },
      traefik: { address: '127.0.0.1:0' },
    });
    assert.deepEqual(out.static.providers, { file: { filename: './config.toml', watch: true } });
    assertValidV3(out.static);
  });

  it('seed 001 [etcd] converts to providers.etcd with the v1 prefix as rootKey', () => {
    const out = convertV1Static(seed('001-etcd.toml'));
    assert.deepEqual((out.static.providers as Record<string, unknown>).etcd, {
      endpoints: ['__ETCD_ENDPOINT__'],
      rootKey: '/traefik/dev',
    });
    assert.deepEqual(out.static.log, { level: 'DEBUG' });
    assertValidV3(out.static);
  });

  it('seed 002 inline [backends]/[frontends] under an empty [file] become the dynamic part', () => {
    const out = convertV1Static(seed('002-echo.toml'));
    const http = (out.dynamic as { http: { routers: Record<string, unknown> } }).http;
    assert.deepEqual(http.routers.fe1, { rule: 'Path(`/echo`)', service: 'httpecho', priority: 10 });
    assertValidV3(out.static);
  });

  it('converts entrypoint TLS, redirect, auth, whitelist, compress and global sections', () => {
    const out = convertV1Static(
      parse(`
defaultEntryPoints = ["http", "https"]
insecureSkipVerify = true
maxIdleConnsPerHost = 50
[entryPoints.http]
address = ":80"
  [entryPoints.http.redirect]
  entryPoint = "https"
[entryPoints.https]
address = ":443"
compress = true
  [entryPoints.https.tls]
  minVersion = "VersionTLS12"
    [[entryPoints.https.tls.certificates]]
    certFile = "a.crt"
    keyFile = "a.key"
  [entryPoints.https.auth.basic]
  users = ["u:p"]
  [entryPoints.https.whiteList]
  sourceRange = ["10.0.0.0/8"]
  [entryPoints.https.proxyProtocol]
  trustedIPs = ["127.0.0.1"]
[retry]
attempts = 2
[respondingTimeouts]
idleTimeout = "60s"
[forwardingTimeouts]
dialTimeout = "5s"
[api]
[ping]
[accessLog]
filePath = "/tmp/access.log"
[traefikLog]
format = "json"
[metrics.prometheus]
buckets = [0.1, 0.5]
`),
    );
    const eps = out.static.entryPoints as Record<string, Record<string, unknown>>;
    assert.deepEqual(eps.http!.http, {
      redirections: { entryPoint: { to: 'https', scheme: 'https', permanent: false } },
      middlewares: ['v1-retry@file'],
    });
    assert.deepEqual(eps.https!.http, {
      tls: {},
      middlewares: [
        'entrypoint-https-whitelist@file',
        'entrypoint-https-basicauth@file',
        'entrypoint-https-compress@file',
        'v1-retry@file',
      ],
    });
    assert.deepEqual(eps.https!.proxyProtocol, { trustedIPs: ['127.0.0.1'] });
    assert.deepEqual(eps.https!.transport, { respondingTimeouts: { idleTimeout: '60s' } });
    assert.equal(eps.traefik!.address, ':8080');
    const dyn = out.dynamic as {
      tls: Record<string, unknown>;
      http: { middlewares: Record<string, unknown> };
    };
    assert.deepEqual(dyn.tls.certificates, [{ certFile: 'a.crt', keyFile: 'a.key' }]);
    assert.deepEqual(dyn.tls.options, { default: { minVersion: 'VersionTLS12' } });
    assert.deepEqual(dyn.http.middlewares['v1-retry'], { retry: { attempts: 2 } });
    assert.deepEqual(out.static.serversTransport, {
      insecureSkipVerify: true,
      maxIdleConnsPerHost: 50,
      forwardingTimeouts: { dialTimeout: '5s' },
    });
    assertValidV3(out.static);
  });
});

describe('v1 dynamic files are not mistaken for static ones', () => {
  it('a file with only [backends]/[frontends] is dynamic', () => {
    const tree = { backends: { b: {} }, frontends: { f: { backend: 'b' } } };
    assert.equal(isV1Static(tree), false);
    assert.equal(isV1Dynamic(tree), true);
  });
});
