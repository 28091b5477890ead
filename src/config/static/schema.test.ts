import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalize } from '../schema/normalize.js';
import { REDACTED, redact } from '../schema/redact.js';
import { staticSchema } from './schema.js';
import { REDIRECTION_PRIORITY } from './schema-entrypoints.js';

describe('static schema defaults', () => {
  it('fills the always-present sections from an empty input', () => {
    const { value, issues } = normalize(staticSchema, {});
    assert.deepEqual(issues, []);
    assert.equal(value.log.level, 'ERROR');
    assert.equal(value.log.format, 'common');
    assert.equal(value.providers.providersThrottleDuration, 2_000);
    assert.equal(value.providers.precedence[0], 'kubernetesgateway');
    assert.equal(value.global.checkNewVersion, true);
    assert.equal(value.core.defaultRuleSyntax, 'v3');
    assert.equal(value.serversTransport.maxIdleConnsPerHost, 200);
    assert.equal(value.serversTransport.forwardingTimeouts.dialTimeout, 30_000);
    assert.equal(value.serversTransport.forwardingTimeouts.idleConnTimeout, 90_000);
    assert.equal(value.tcpServersTransport.dialKeepAlive, 15_000);
    assert.deepEqual(value.entryPoints, {});
    for (const off of ['api', 'ping', 'metrics', 'tracing', 'accessLog', 'hostResolver'] as const) {
      assert.equal(value[off], undefined, `${off} is off unless configured`);
    }
  });

  it('fills an entrypoint with Traefik defaults (durations in ms)', () => {
    const { value } = normalize(staticSchema, { entryPoints: { web: { address: ':80' } } });
    const web = value.entryPoints.web!;
    assert.equal(web.transport.respondingTimeouts.readTimeout, 60_000);
    assert.equal(web.transport.respondingTimeouts.writeTimeout, 0);
    assert.equal(web.transport.respondingTimeouts.idleTimeout, 180_000);
    assert.equal(web.transport.lifeCycle.graceTimeOut, 10_000);
    assert.equal(web.transport.lifeCycle.requestAcceptGraceTimeout, 0);
    assert.equal(web.http.maxHeaderBytes, 1_048_576);
    assert.equal(web.http.sanitizePath, true);
    assert.equal(web.http.encodedCharacters.allowEncodedSlash, true);
    assert.equal(web.http.underscoreHeadersStrategy, 'keep');
    assert.equal(web.http2.maxConcurrentStreams, 250);
    assert.equal(web.udp.timeout, 3_000);
    assert.equal(web.observability.traceVerbosity, 'minimal');
    assert.deepEqual(web.forwardedHeaders.trustedIPs, []);
    assert.equal(web.http3, undefined);
  });

  it('fills switched-on sections with their defaults', () => {
    const input = {
      entryPoints: { web: { address: ':80', http: { redirections: { entryPoint: { to: 'websecure' } } } } },
      api: true,
      ping: '',
      metrics: { prometheus: {} },
      providers: { docker: {}, redis: {} },
      certificatesResolvers: { le: { acme: { httpChallenge: { entryPoint: 'web' } } } },
    };
    const { value, issues } = normalize(staticSchema, input);
    assert.deepEqual(issues, []);
    assert.deepEqual(value.api, {
      insecure: false,
      dashboard: true,
      debug: false,
      basePath: '/',
      disableDashboardAd: false,
    });
    assert.deepEqual(value.ping, { entryPoint: 'traefik', manualRouting: false, terminatingStatusCode: 503 });
    assert.deepEqual(value.metrics?.prometheus?.buckets, [0.1, 0.3, 1.2, 5.0]);
    assert.equal(value.providers.docker?.endpoint, 'unix:///var/run/docker.sock');
    assert.equal(value.providers.docker?.exposedByDefault, true);
    assert.deepEqual(value.providers.redis?.endpoints, ['127.0.0.1:6379']);
    const redirect = value.entryPoints.web!.http.redirections?.entryPoint;
    assert.deepEqual(redirect, {
      to: 'websecure',
      scheme: 'https',
      permanent: true,
      priority: REDIRECTION_PRIORITY,
    });
    const acme = value.certificatesResolvers.le?.acme;
    assert.equal(acme?.storage, 'acme.json');
    assert.equal(acme?.keyType, 'RSA4096');
    assert.equal(acme?.httpChallenge?.delay, 0);
  });
});

describe('static schema validation', () => {
  it('checks entrypoint addresses', () => {
    for (const ok of [':80', '0.0.0.0:443', '[::]:8080', ':53/udp', 'localhost:81/TCP']) {
      assert.deepEqual(normalize(staticSchema, { entryPoints: { e: { address: ok } } }).issues, [], ok);
    }
    const { issues } = normalize(staticSchema, { entryPoints: { e: { address: '80' } } });
    assert.equal(issues[0]!.path, 'entryPoints.e.address');
    assert.match(issues[0]!.message, /must be "\[host\]:port"/);
  });

  it('allows only one certificate resolver kind', () => {
    const { issues } = normalize(staticSchema, { certificatesResolvers: { r: { acme: {}, tailscale: {} } } });
    assert.equal(issues[0]!.message, 'only one of "acme" and "tailscale" may be set');
  });

  it('checks enums and the API base path', () => {
    const { issues } = normalize(staticSchema, { log: { level: 'verbose' }, api: { basePath: 'dash' } });
    assert.deepEqual(
      issues.map((i) => i.path),
      ['log.level', 'api.basePath'],
    );
  });

  it('accepts unknown keys of providers Switchyard does not run, but not of its own', () => {
    const input = {
      providers: { kubernetesCRD: { someFutureOption: 1 }, docker: { exposedbydefault: false, bogus: 1 } },
    };
    const { issues } = normalize(staticSchema, input);
    assert.deepEqual(
      issues.map((i) => i.path),
      ['providers.docker.bogus'],
    );
  });
});

describe('static schema secrets', () => {
  it('redacts passwords, tokens, keys and OTLP headers', () => {
    const input = {
      providers: {
        redis: { password: 'p1', sentinel: { masterName: 'm', password: 'p2' } },
        consul: { token: 't' },
        http: { endpoint: 'http://x', tls: { key: 'k.pem', cert: 'c.pem' } },
      },
      metrics: { influxDB2: { token: 't2' }, otlp: { http: { headers: { Authorization: 'Bearer x' } } } },
      certificatesResolvers: { le: { acme: { eab: { kid: 'k', hmacEncoded: 'h' } } } },
    };
    const { value } = normalize(staticSchema, input);
    const shown = redact(staticSchema, value);
    assert.equal(shown.providers.redis?.password, REDACTED);
    assert.equal(shown.providers.redis?.sentinel?.password, REDACTED);
    assert.equal(shown.providers.consul?.token, REDACTED);
    assert.equal(shown.providers.http?.tls?.key, REDACTED);
    assert.equal(shown.providers.http?.tls?.cert, 'c.pem');
    assert.equal(shown.metrics?.influxDB2?.token, REDACTED);
    assert.equal(shown.metrics?.otlp?.http?.headers?.Authorization, REDACTED);
    assert.equal(shown.certificatesResolvers.le?.acme?.eab?.hmacEncoded, REDACTED);
    assert.equal(value.providers.redis?.password, 'p1', 'the normalized value keeps the secret');
  });
});
