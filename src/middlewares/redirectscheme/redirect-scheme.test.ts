import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import redirectScheme from './index.js';
import type { RedirectSchemeOptions } from './schema.js';

interface Case {
  options: Partial<RedirectSchemeOptions>;
  host: string;
  path?: string;
  method?: string;
  connection?: 'http' | 'https';
  forwardedProto?: string;
  /** Expected status; 200 means the request went through. */
  status: number;
  location?: string;
}

async function run(c: Case) {
  const options: RedirectSchemeOptions = { scheme: 'https', permanent: false, ...c.options };
  const server = await serveMiddleware(redirectScheme.create(options, testBuildContext()), {
    scheme: c.connection,
  });
  try {
    const headers: Record<string, string> = { Host: c.host };
    if (c.forwardedProto !== undefined) headers['X-Forwarded-Proto'] = c.forwardedProto;
    return await server.request(c.path ?? '/', { method: c.method, headers });
  } finally {
    await server.close();
  }
}

async function check(c: Case) {
  const res = await run(c);
  assert.equal(res.status, c.status, JSON.stringify(c));
  assert.equal(res.headers.location, c.location, JSON.stringify(c));
}

describe('redirectScheme: status codes', () => {
  it('answers GET with 302, or 301 when permanent', async () => {
    await check({ options: {}, host: 'example.com', status: 302, location: 'https://example.com/' });
    await check({
      options: { permanent: true },
      host: 'example.com',
      status: 301,
      location: 'https://example.com/',
    });
  });

  it('answers other methods with 307, or 308 when permanent, so the body is sent again', async () => {
    await check({ options: {}, host: 'a.test', method: 'POST', status: 307, location: 'https://a.test/' });
    await check({
      options: { permanent: true },
      host: 'a.test',
      method: 'PUT',
      status: 308,
      location: 'https://a.test/',
    });
  });

  it('answers HEAD like GET', async () => {
    await check({ options: {}, host: 'a.test', method: 'HEAD', status: 302, location: 'https://a.test/' });
  });

  it('sends the status text as a small plain-text body', async () => {
    const res = await run({ options: {}, host: 'a.test', status: 302 });
    assert.equal(res.body, 'Found');
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(res.headers['content-length'], '5');
  });

  it('keeps the path and the query', async () => {
    const location = 'https://a.test/some/p%2Fath?x=1&y';
    await check({ options: {}, host: 'a.test', path: '/some/p%2Fath?x=1&y', status: 302, location });
  });
});

describe('redirectScheme: ports', () => {
  it('uses the configured port', async () => {
    await check({ options: { port: '8443' }, host: 'a.test', status: 302, location: 'https://a.test:8443/' });
    await check({
      options: { port: '8443' },
      host: 'a.test:8000',
      status: 302,
      location: 'https://a.test:8443/',
    });
  });

  it('drops the default port of the target scheme', async () => {
    await check({ options: { port: '443' }, host: 'a.test', status: 302, location: 'https://a.test/' });
    await check({
      options: { scheme: 'http', port: '80' },
      host: 'a.test:8080',
      status: 302,
      location: 'http://a.test/',
    });
  });

  it('drops the request port when no port is configured', async () => {
    await check({ options: {}, host: 'a.test:8080', status: 302, location: 'https://a.test/' });
    await check({ options: {}, host: 'a.test:443', status: 302, location: 'https://a.test/' });
  });

  it('redirects a request on the right scheme but another port', async () => {
    const https = 'https' as const;
    await check({
      options: {},
      host: 'a.test:8443',
      connection: https,
      status: 302,
      location: 'https://a.test/',
    });
    await check({
      options: { scheme: 'http', port: '8181' },
      host: 'a.test:8080',
      status: 302,
      location: 'http://a.test:8181/',
    });
  });

  it('keeps IPv6 brackets', async () => {
    await check({ options: {}, host: '[::1]:8080', status: 302, location: 'https://[::1]/' });
    await check({ options: { port: '8443' }, host: '[::1]', status: 302, location: 'https://[::1]:8443/' });
  });

  it('leaves other schemes their ports', async () => {
    await check({
      options: { scheme: 'wss', port: '443' },
      host: 'a.test',
      status: 302,
      location: 'wss://a.test:443/',
    });
  });
});

describe('redirectScheme: no loop', () => {
  it('lets a request through when it already uses the scheme and port', async () => {
    const https = 'https' as const;
    await check({ options: {}, host: 'a.test', connection: https, status: 200 });
    await check({ options: {}, host: 'a.test:443', connection: https, status: 200 });
    await check({ options: { port: '8443' }, host: 'a.test:8443', connection: https, status: 200 });
    await check({ options: { scheme: 'http', port: '80' }, host: 'a.test:80', status: 200 });
  });

  it('compares the scheme without regard to case', async () => {
    await check({ options: { scheme: 'HTTPS' }, host: 'a.test', connection: 'https', status: 200 });
    await check({ options: { scheme: 'HTTPS' }, host: 'a.test', status: 302, location: 'https://a.test/' });
  });
});

describe('redirectScheme: X-Forwarded-Proto', () => {
  it('takes the scheme from X-Forwarded-Proto', async () => {
    await check({ options: {}, host: 'a.test', forwardedProto: 'https', status: 200 });
    await check({ options: {}, host: 'a.test', forwardedProto: 'wss', status: 200 });
    await check({ options: {}, host: 'a.test', forwardedProto: 'HTTPS, http', status: 200 });
    const https = 'https' as const;
    await check({
      options: {},
      host: 'a.test',
      connection: https,
      forwardedProto: 'http',
      status: 302,
      location: 'https://a.test/',
    });
    await check({
      options: {},
      host: 'a.test',
      connection: https,
      forwardedProto: 'ws',
      status: 302,
      location: 'https://a.test/',
    });
  });

  it('falls back to the connection for an unknown value', async () => {
    await check({
      options: {},
      host: 'a.test',
      forwardedProto: 'bar',
      status: 302,
      location: 'https://a.test/',
    });
    await check({ options: {}, host: 'a.test', connection: 'https', forwardedProto: 'bar', status: 200 });
  });
});

describe('redirectScheme: configuration', () => {
  it('refuses an empty scheme and a port that is not a number', () => {
    const invalid = (err: unknown) => err instanceof SwitchyardError && err.code === 'CONFIG_INVALID';
    assert.throws(
      () => redirectScheme.create({ scheme: ' ', permanent: false }, testBuildContext()),
      invalid,
    );
    assert.throws(
      () => redirectScheme.create({ scheme: 'https', port: 'x1', permanent: false }, testBuildContext()),
      invalid,
    );
  });
});
