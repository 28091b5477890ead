import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import redirectScheme from './index.js';
import type { RedirectSchemeOptions } from './schema.js';

/**
 * The cases of Traefik's TestRedirectSchemeHandler (pkg/middlewares/redirect/redirect_scheme_test.go),
 * one for one. Each is sent twice, as Traefik's test does: with the absolute-form target (`GET
 * http://foo:8080 HTTP/1.1`) and with the origin form plus a Host header.
 */
interface TraefikCase {
  desc: string;
  config: Partial<RedirectSchemeOptions>;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  secured?: boolean;
  /** Location; when the URL has no path, Traefik's Location has none either and ours ends with `/`. */
  expectedURL?: string;
  expectedStatus: number;
}

const cases: TraefikCase[] = [
  {
    desc: 'HTTP to HTTPS',
    config: { scheme: 'https' },
    url: 'http://foo',
    expectedURL: 'https://foo',
    expectedStatus: 302,
  },
  {
    desc: 'HTTP to HTTPS, with X-Forwarded-Proto',
    config: { scheme: 'https' },
    url: 'http://foo',
    headers: { 'X-Forwarded-Proto': 'http' },
    expectedURL: 'https://foo',
    expectedStatus: 302,
  },
  {
    desc: 'HTTP to HTTPS, with X-Forwarded-Proto to HTTPS',
    config: { scheme: 'https' },
    url: 'http://foo',
    headers: { 'X-Forwarded-Proto': 'https' },
    expectedStatus: 200,
  },
  {
    desc: 'HTTP to HTTPS, with X-Forwarded-Proto to unknown value',
    config: { scheme: 'https' },
    url: 'http://foo',
    headers: { 'X-Forwarded-Proto': 'bar' },
    expectedURL: 'https://foo',
    expectedStatus: 302,
  },
  {
    desc: 'HTTP to HTTPS, with X-Forwarded-Proto to ws',
    config: { scheme: 'https' },
    url: 'http://foo',
    headers: { 'X-Forwarded-Proto': 'ws' },
    expectedURL: 'https://foo',
    expectedStatus: 302,
  },
  {
    desc: 'HTTP to HTTPS, with X-Forwarded-Proto to wss',
    config: { scheme: 'https' },
    url: 'http://foo',
    headers: { 'X-Forwarded-Proto': 'wss' },
    expectedStatus: 200,
  },
  {
    desc: 'HTTP with port to HTTPS without port',
    config: { scheme: 'https' },
    url: 'http://foo:8080',
    expectedURL: 'https://foo',
    expectedStatus: 302,
  },
  {
    desc: 'HTTP without port to HTTPS with port',
    config: { scheme: 'https', port: '8443' },
    url: 'http://foo',
    expectedURL: 'https://foo:8443',
    expectedStatus: 302,
  },
  {
    desc: 'HTTP with port to HTTPS with port',
    config: { scheme: 'https', port: '8443' },
    url: 'http://foo:8000',
    expectedURL: 'https://foo:8443',
    expectedStatus: 302,
  },
  {
    desc: 'HTTPS with port to HTTPS with port',
    config: { scheme: 'https', port: '8443' },
    url: 'https://foo:8000',
    expectedURL: 'https://foo:8443',
    expectedStatus: 302,
  },
  {
    desc: 'HTTPS with port to HTTPS without port',
    config: { scheme: 'https' },
    url: 'https://foo:8000',
    expectedURL: 'https://foo',
    expectedStatus: 302,
  },
  {
    desc: 'redirection to HTTPS without port from an URL already in https',
    config: { scheme: 'https' },
    url: 'https://foo:8000/theother',
    expectedURL: 'https://foo/theother',
    expectedStatus: 302,
  },
  {
    desc: 'HTTP to HTTPS permanent',
    config: { scheme: 'https', port: '8443', permanent: true },
    url: 'http://foo',
    expectedURL: 'https://foo:8443',
    expectedStatus: 301,
  },
  {
    desc: 'HTTP to HTTPS with explicit 308 status code',
    config: { scheme: 'https', forcePermanentRedirect: true },
    url: 'http://foo',
    expectedURL: 'https://foo',
    expectedStatus: 308,
  },
  {
    desc: 'HTTP to HTTPS with explicit 308 status code for GET request',
    method: 'GET',
    config: { scheme: 'https', forcePermanentRedirect: true },
    url: 'http://foo',
    expectedURL: 'https://foo',
    expectedStatus: 308,
  },
  { desc: 'to HTTP 80', config: { scheme: 'http', port: '80' }, url: 'http://foo:80', expectedStatus: 200 },
  {
    desc: 'to HTTPS 443',
    config: { scheme: 'https', port: '443' },
    url: 'https://foo:443',
    expectedStatus: 200,
  },
  {
    desc: 'HTTP to wss',
    config: { scheme: 'wss', port: '9443' },
    url: 'http://foo',
    expectedURL: 'wss://foo:9443',
    expectedStatus: 302,
  },
  {
    desc: 'HTTP to wss without port',
    config: { scheme: 'wss' },
    url: 'http://foo',
    expectedURL: 'wss://foo',
    expectedStatus: 302,
  },
  {
    desc: 'HTTP with port to wss without port',
    config: { scheme: 'wss' },
    url: 'http://foo:5678',
    expectedURL: 'wss://foo',
    expectedStatus: 302,
  },
  {
    desc: 'HTTP to HTTPS without port',
    config: { scheme: 'https' },
    url: 'http://foo:443',
    expectedURL: 'https://foo',
    expectedStatus: 302,
  },
  {
    desc: 'HTTP port redirection',
    config: { scheme: 'http', port: '8181' },
    url: 'http://foo:8080',
    expectedURL: 'http://foo:8181',
    expectedStatus: 302,
  },
  {
    desc: 'HTTPS with port 80 to HTTPS without port',
    config: { scheme: 'https' },
    url: 'https://foo:80',
    expectedURL: 'https://foo',
    expectedStatus: 302,
  },
  {
    desc: 'IPV6 HTTP to HTTPS redirection without port',
    config: { scheme: 'https' },
    url: 'http://[::1]',
    expectedURL: 'https://[::1]',
    expectedStatus: 302,
  },
  {
    desc: 'IPV6 HTTP to HTTPS redirection with port',
    config: { scheme: 'https', port: '8443' },
    url: 'http://[::1]',
    expectedURL: 'https://[::1]:8443',
    expectedStatus: 302,
  },
  {
    desc: 'IPV6 HTTP with port 80 to HTTPS redirection without port',
    config: { scheme: 'https' },
    url: 'http://[::1]:80',
    expectedURL: 'https://[::1]',
    expectedStatus: 302,
  },
  {
    desc: 'IPV6 HTTP with port 80 to HTTPS redirection with port',
    config: { scheme: 'https', port: '8443' },
    url: 'http://[::1]:80',
    expectedURL: 'https://[::1]:8443',
    expectedStatus: 302,
  },
];

/** `http://foo:8080/p?q` → host `foo:8080`, origin form `/p?q` (`/` when the URL has no path). */
function split(url: string): { scheme: string; host: string; origin: string } {
  const m = /^(https?):\/\/([^/?]*)(.*)$/.exec(url)!;
  return { scheme: m[1]!, host: m[2]!, origin: m[3] || '/' };
}

/** Traefik's expected Location, with the `/` our origin form carries when the URL has no path. */
function withPath(location: string): string {
  return /^[a-z]+:\/\/[^/]*$/.test(location) ? `${location}/` : location;
}

describe("redirectScheme: Traefik's test table", () => {
  it('refuses a configuration without scheme (case "Without scheme")', () => {
    assert.throws(
      () =>
        redirectScheme.create({ scheme: '', permanent: false } as RedirectSchemeOptions, testBuildContext()),
      SwitchyardError,
    );
  });

  for (const c of cases) {
    it(c.desc, async () => {
      const options = { permanent: false, ...c.config } as RedirectSchemeOptions;
      const server = await serveMiddleware(redirectScheme.create(options, testBuildContext()), {
        scheme: c.secured ? 'https' : 'http',
      });
      try {
        const { scheme, host, origin } = split(c.url);
        const headers = { 'X-Foo': 'bar', ...c.headers, Host: host };
        const absolute = await server.request(c.url, { method: c.method, headers });
        assert.equal(absolute.status, c.expectedStatus, 'absolute form');
        assert.equal(absolute.headers.location, c.expectedURL && withPath(c.expectedURL), 'absolute form');
        // The origin form loses the URL's scheme, as Traefik's second request does (RequestURI = path):
        // an https URL then only stays https through the connection.
        if (scheme === 'http' || c.secured) {
          const plain = await server.request(origin, { method: c.method, headers });
          assert.equal(plain.status, c.expectedStatus, 'origin form');
          assert.equal(plain.headers.location, c.expectedURL && withPath(c.expectedURL), 'origin form');
        }
      } finally {
        await server.close();
      }
    });
  }
});
