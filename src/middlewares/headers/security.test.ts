import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import headers from './index.js';
import type { HeadersOptions } from './schema.js';

async function get(
  options: HeadersOptions,
  path: string,
  init?: { method?: string; headers?: Record<string, string> },
  scheme: 'http' | 'https' = 'http',
) {
  const server = await serveMiddleware(headers.create(options, testBuildContext()), { scheme });
  try {
    return await server.request(path, init);
  } finally {
    await server.close();
  }
}

describe('headers: security options', () => {
  it('sends the fixed security headers', async () => {
    const res = await get(
      {
        frameDeny: true,
        contentTypeNosniff: true,
        browserXssFilter: true,
        contentSecurityPolicy: "default-src 'self'",
        contentSecurityPolicyReportOnly: 'default-src https:',
        referrerPolicy: 'no-referrer',
        permissionsPolicy: 'camera=()',
        publicKey: 'pin-sha256="x"; max-age=1',
      },
      '/',
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-xss-protection'], '1; mode=block');
    assert.equal(res.headers['content-security-policy'], "default-src 'self'");
    assert.equal(res.headers['content-security-policy-report-only'], 'default-src https:');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['permissions-policy'], 'camera=()');
    assert.equal(res.headers['public-key-pins'], 'pin-sha256="x"; max-age=1');
  });

  it('lets custom frame and XSS values win', async () => {
    const res = await get(
      {
        frameDeny: true,
        customFrameOptionsValue: 'SAMEORIGIN',
        browserXssFilter: true,
        customBrowserXSSValue: '0',
      },
      '/',
    );
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(res.headers['x-xss-protection'], '0');
  });

  it('sends STS on HTTPS only, unless forced, and never in development', async () => {
    const sts = { stsSeconds: 31536000, stsIncludeSubdomains: true, stsPreload: true };
    assert.equal((await get(sts, '/')).headers['strict-transport-security'], undefined);
    const https = await get(sts, '/', undefined, 'https');
    assert.equal(https.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains; preload');
    assert.equal(
      (await get({ ...sts, forceSTSHeader: true }, '/')).headers['strict-transport-security'],
      'max-age=31536000; includeSubDomains; preload',
    );
    const proxied = await get({ stsSeconds: 60, sslProxyHeaders: { 'X-Forwarded-Proto': 'https' } }, '/', {
      headers: { 'X-Forwarded-Proto': 'https' },
    });
    assert.equal(proxied.headers['strict-transport-security'], 'max-age=60');
    const dev = await get({ ...sts, isDevelopment: true }, '/', undefined, 'https');
    assert.equal(dev.headers['strict-transport-security'], undefined);
  });

  it('answers 500 Bad Host to a host not allowed, reading hostsProxyHeaders first', async () => {
    const opts = { allowedHosts: ['good.test'], hostsProxyHeaders: ['X-Forwarded-Host'] };
    const bad = await get(opts, '/', { headers: { Host: 'evil.test' } });
    assert.equal(bad.status, 500);
    assert.equal(bad.body, 'Bad Host');
    assert.equal((await get(opts, '/', { headers: { Host: 'good.test:8080' } })).status, 200);
    assert.equal(
      (await get(opts, '/', { headers: { Host: 'x', 'X-Forwarded-Host': 'good.test' } })).status,
      200,
    );
    assert.equal(
      (await get({ ...opts, isDevelopment: true }, '/', { headers: { Host: 'evil.test' } })).status,
      200,
    );
  });

  it('redirects to HTTPS with the deprecated sslRedirect', async () => {
    const res = await get({ sslRedirect: true }, '/p?q=1', { headers: { Host: 'a.test:80' } });
    assert.equal(res.status, 301);
    assert.equal(res.headers.location, 'https://a.test/p?q=1');
    const tmp = await get({ sslTemporaryRedirect: true, sslHost: 'secure.test' }, '/x');
    assert.equal(tmp.status, 302);
    assert.equal(tmp.headers.location, 'https://secure.test/x');
    assert.equal((await get({ sslRedirect: true }, '/', undefined, 'https')).status, 200);
  });
});

describe('headers: CORS', () => {
  const cors: HeadersOptions = {
    accessControlAllowMethods: ['GET', 'OPTIONS', 'PUT'],
    accessControlAllowHeaders: ['X-Custom'],
    accessControlAllowOriginList: ['https://app.test'],
    accessControlAllowOriginListRegex: ['^https://.*\\.example\\.com$'],
    accessControlExposeHeaders: ['X-Exposed'],
    accessControlMaxAge: 100,
    addVaryHeader: true,
  };

  it('answers a preflight itself with 200 and no body', async () => {
    const res = await get(cors, '/', {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.test', 'Access-Control-Request-Method': 'PUT' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body, '');
    assert.equal(res.headers['content-length'], '0');
    assert.equal(res.headers['access-control-allow-origin'], 'https://app.test');
    assert.equal(res.headers['access-control-allow-methods'], 'GET,OPTIONS,PUT');
    assert.equal(res.headers['access-control-allow-headers'], 'X-Custom');
    assert.equal(res.headers['access-control-max-age'], '100');
    assert.equal(res.headers.vary, 'Origin');
  });

  it('adds CORS headers to simple responses for allowed origins only', async () => {
    const ok = await get(cors, '/', { headers: { Origin: 'https://a.example.com' } });
    assert.equal(ok.headers['access-control-allow-origin'], 'https://a.example.com');
    assert.equal(ok.headers['access-control-expose-headers'], 'X-Exposed');
    assert.equal(ok.headers.vary, 'Origin');
    const no = await get(cors, '/', { headers: { Origin: 'https://evil.test' } });
    assert.equal(no.headers['access-control-allow-origin'], undefined);
  });

  it('sends * for any origin, and echoes the origin when credentials are allowed', async () => {
    const any = await get({ accessControlAllowOriginList: ['*'] }, '/', {
      headers: { Origin: 'https://x.test' },
    });
    assert.equal(any.headers['access-control-allow-origin'], '*');
    const creds = await get(
      {
        accessControlAllowOriginList: ['*'],
        accessControlAllowCredentials: true,
        accessControlAllowHeaders: ['*'],
      },
      '/',
      {
        method: 'OPTIONS',
        headers: {
          Origin: 'https://x.test',
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'X-A',
        },
      },
    );
    assert.equal(creds.headers['access-control-allow-origin'], 'https://x.test');
    assert.equal(creds.headers['access-control-allow-credentials'], 'true');
    assert.equal(creds.headers['access-control-allow-headers'], 'X-A');
  });

  it('passes an OPTIONS request that is not a preflight to the next handler', async () => {
    const res = await get(cors, '/', { method: 'OPTIONS', headers: { Origin: 'https://app.test' } });
    assert.equal(res.status, 200);
    assert.match(res.body, /"method":"OPTIONS"/);
  });
});
