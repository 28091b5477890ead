import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'smol-toml';
import { validateDynamic } from '../dynamic/validate.js';
import { convertV1Dynamic } from './dynamic.js';

const toml = `
[backends.b1]
  [backends.b1.servers.s1]
  url = "http://10.0.0.1:80"
  weight = 3
  [backends.b1.loadbalancer]
  method = "drr"
    [backends.b1.loadbalancer.stickiness]
    cookieName = "lb"
  [backends.b1.circuitbreaker]
  expression = "NetworkErrorRatio() > 0.5"
  [backends.b1.healthcheck]
  path = "/health"
  interval = "10s"
  [backends.b1.maxconn]
  amount = 5
  extractorfunc = "request.header.X-Tenant"
  [backends.b1.buffering]
  maxRequestBodyBytes = 1000
  [backends.b1.responseForwarding]
  flushInterval = "50ms"
[frontends.f1]
backend = "b1"
priority = 10
entrypoints = ["http"]
passTLSCert = true
  [frontends.f1.routes.r1]
  rule = "Host:a.test"
  [frontends.f1.auth.basic]
  users = ["u:$apr1$x"]
  [frontends.f1.redirect]
  regex = "^http://a/(.*)"
  replacement = "http://b/$1"
  [frontends.f1.errors.e1]
  status = ["500-599"]
  backend = "b1"
  query = "/{status}.html"
  [frontends.f1.ratelimit]
  extractorfunc = "client.ip"
    [frontends.f1.ratelimit.rateset.r1]
    period = "10s"
    average = 100
    burst = 200
  [frontends.f1.whitelist]
  sourceRange = ["10.0.0.0/8"]
  [frontends.f1.headers]
  SSLRedirect = true
  STSSeconds = 315360000
    [frontends.f1.headers.customRequestHeaders]
    X-A = "1"
[frontends.f2]
backend = "b1"
passHostHeader = false
  [frontends.f2.routes.r1]
  rule = "Path:/x"
[frontends.orphan]
backend = "nope"
`;

describe('convertV1Dynamic', () => {
  const { config, warnings } = convertV1Dynamic(parse(toml));
  const http = (config as { http: Record<string, Record<string, Record<string, unknown>>> }).http;

  it('converts a backend to a loadBalancer service', () => {
    assert.deepEqual(http.services!.b1, {
      loadBalancer: {
        servers: [{ url: 'http://10.0.0.1:80', weight: 3 }],
        sticky: { cookie: { name: 'lb' } },
        healthCheck: { path: '/health', interval: '10s' },
        responseForwarding: { flushInterval: '50ms' },
      },
    });
    assert.ok(warnings.some((w) => /drr/.test(w)));
  });

  it('converts frontends to routers with middlewares in order, backend ones last', () => {
    assert.deepEqual(http.routers!.f1, {
      rule: 'Host(`a.test`)',
      service: 'b1',
      priority: 10,
      entryPoints: ['http'],
      middlewares: [
        'f1-redirect',
        'f1-whitelist',
        'f1-sslredirect',
        'f1-headers',
        'f1-errors-e1',
        'f1-ratelimit-r1',
        'f1-basicauth',
        'f1-passtlsclientcert',
        'b1-buffering',
        'b1-maxconn',
        'b1-circuitbreaker',
      ],
    });
    const mw = http.middlewares!;
    assert.deepEqual(mw['b1-maxconn'], {
      inFlightReq: { amount: 5, sourceCriterion: { requestHeaderName: 'X-Tenant' } },
    });
    assert.deepEqual(mw['f1-ratelimit-r1'], {
      rateLimit: { average: 100, burst: 200, period: '10s', sourceCriterion: { ipStrategy: {} } },
    });
    assert.deepEqual(mw['f1-errors-e1'], {
      errors: { status: ['500-599'], service: 'b1', query: '/{status}.html' },
    });
    assert.deepEqual(mw['f1-headers'], {
      headers: { customRequestHeaders: { 'X-A': '1' }, stsSeconds: 315360000 },
    });
    assert.deepEqual(mw['f1-redirect'], {
      redirectRegex: { regex: '^http://a/(.*)', replacement: 'http://b/$1', permanent: false },
    });
  });

  it('gives a frontend with a different passHostHeader its own service', () => {
    assert.equal(http.routers!.f2!.service, 'b1-f2');
    assert.equal(
      (http.services!['b1-f2']!.loadBalancer as { passHostHeader: boolean }).passHostHeader,
      false,
    );
  });

  it('drops a frontend whose backend does not exist, with a warning', () => {
    assert.equal(http.routers!.orphan, undefined);
    assert.ok(warnings.some((w) => /frontends\.orphan: backend "nope" does not exist/.test(w)));
  });

  it('produces routers and services the v3 validator accepts', () => {
    const result = validateDynamic(config, { provider: 'file' });
    const broken = result.issues.filter((i) => /^http\.(routers|services)\./.test(i.element ?? ''));
    assert.deepEqual(broken, []);
    assert.deepEqual(Object.keys(result.config.http.services).sort(), ['b1', 'b1-f2']);
  });

  it('reads KV-style trees: lower-case keys and string values', () => {
    const kv = {
      backends: { b: { servers: { s: { url: 'http://x:1', weight: '2' } }, maxconn: { amount: '3' } } },
      frontends: {
        f: {
          backend: 'b',
          passhostheader: 'false',
          entrypoints: 'http,https',
          routes: { r: { rule: 'Host:k' } },
        },
      },
    };
    const out = convertV1Dynamic(kv).config as {
      http: Record<string, Record<string, Record<string, unknown>>>;
    };
    assert.deepEqual(out.http.routers!.f!.entryPoints, ['http', 'https']);
    assert.deepEqual(out.http.services!.b!.loadBalancer, {
      servers: [{ url: 'http://x:1', weight: 2 }],
      passHostHeader: false,
    });
  });

  it('converts [[tls]] certificates', () => {
    const out = convertV1Dynamic({
      tls: [{ entryPoints: ['https'], certificate: { certFile: 'c', keyFile: 'k' } }],
    });
    assert.deepEqual(out.config, { tls: { certificates: [{ certFile: 'c', keyFile: 'k' }] } });
  });
});
