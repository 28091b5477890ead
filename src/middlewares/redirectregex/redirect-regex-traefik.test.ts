import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import redirectRegex from './index.js';
import type { RedirectRegexOptions } from './schema.js';

/**
 * The cases of Traefik's TestRedirectRegexHandler (pkg/middlewares/redirect/redirect_regex_test.go), one
 * for one. Traefik's test sends the URL as an absolute-form target; so does this one, over a socket.
 */
interface TraefikCase {
  desc: string;
  config: Partial<RedirectRegexOptions>;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  secured?: boolean;
  expectedURL?: string;
  expectedStatus: number;
}

// Go replacement syntax (`${1}`) in plain strings, as in Traefik's table.
const GO_GROUP_ONE = '$' + '{1}';
const cases: TraefikCase[] = [
  {
    desc: 'simple redirection',
    config: {
      regex: String.raw`^(?:http?:\/\/)(foo)(\.com)(:\d+)(.*)$`,
      replacement: `https://${GO_GROUP_ONE}bar$2:443$4`,
    },
    url: 'http://foo.com:80',
    expectedURL: 'https://foobar.com:443',
    expectedStatus: 302,
  },
  {
    desc: "URL doesn't match regex",
    config: {
      regex: String.raw`^(?:http?:\/\/)(foo)(\.com)(:\d+)(.*)$`,
      replacement: `https://${GO_GROUP_ONE}bar$2:443$4`,
    },
    url: 'http://bar.com:80',
    expectedStatus: 200,
  },
  {
    desc: 'invalid rewritten URL',
    config: { regex: '^(.*)$', replacement: 'http://192.168.0.%31/' },
    url: 'http://foo.com:80',
    expectedStatus: 502,
  },
  {
    desc: 'HTTP to HTTPS permanent',
    config: { regex: '^http://', replacement: 'https://$1', permanent: true },
    url: 'http://foo',
    expectedURL: 'https://foo',
    expectedStatus: 301,
  },
  {
    desc: 'HTTPS to HTTP permanent',
    config: { regex: 'https://foo', replacement: 'http://foo', permanent: true },
    secured: true,
    url: 'https://foo',
    expectedURL: 'http://foo',
    expectedStatus: 301,
  },
  {
    desc: 'HTTP to HTTPS',
    config: { regex: 'http://foo:80', replacement: 'https://foo:443' },
    url: 'http://foo:80',
    expectedURL: 'https://foo:443',
    expectedStatus: 302,
  },
  {
    desc: 'HTTP to HTTPS, with X-Forwarded-Proto',
    config: { regex: 'http://foo:80', replacement: 'https://foo:443' },
    url: 'http://foo:80',
    headers: { 'X-Forwarded-Proto': 'https' },
    expectedURL: 'https://foo:443',
    expectedStatus: 302,
  },
  {
    desc: 'HTTPS to HTTP',
    config: { regex: 'https://foo:443', replacement: 'http://foo:80' },
    secured: true,
    url: 'https://foo:443',
    expectedURL: 'http://foo:80',
    expectedStatus: 302,
  },
  {
    desc: 'HTTP to HTTP',
    config: { regex: 'http://foo:80', replacement: 'http://foo:88' },
    url: 'http://foo:80',
    expectedURL: 'http://foo:88',
    expectedStatus: 302,
  },
  {
    desc: 'HTTP to HTTP POST',
    config: { regex: '^http://', replacement: 'https://$1' },
    url: 'http://foo',
    method: 'POST',
    expectedURL: 'https://foo',
    expectedStatus: 307,
  },
  {
    desc: 'www-redirect without port',
    config: {
      regex: '(https?)://[^/:]+(:[0-9]+)?/(.*)',
      replacement: '$1://example.com$2/$3',
      permanent: true,
    },
    url: 'http://www.example.com/path',
    expectedURL: 'http://example.com/path',
    expectedStatus: 301,
  },
  {
    desc: 'www-redirect with port',
    config: {
      regex: '(https?)://[^/:]+(:[0-9]+)?/(.*)',
      replacement: '$1://example.com$2/$3',
      permanent: true,
    },
    url: 'http://www.example.com:8080/path',
    expectedURL: 'http://example.com:8080/path',
    expectedStatus: 301,
  },
  {
    desc: 'www-redirect without port, root path',
    config: {
      regex: '(https?)://[^/:]+(:[0-9]+)?/(.*)',
      replacement: '$1://example.com$2/$3',
      permanent: true,
    },
    url: 'http://www.example.com/',
    expectedURL: 'http://example.com/',
    expectedStatus: 301,
  },
  {
    desc: 'www-redirect HTTPS without port',
    config: {
      regex: '(https?)://[^/:]+(:[0-9]+)?/(.*)',
      replacement: '$1://example.com$2/$3',
      permanent: true,
    },
    secured: true,
    url: 'https://www.example.com/path',
    expectedURL: 'https://example.com/path',
    expectedStatus: 301,
  },
  {
    desc: 'HTTP to HTTP POST permanent',
    config: { regex: '^http://', replacement: 'https://$1', permanent: true },
    url: 'http://foo',
    method: 'POST',
    expectedURL: 'https://foo',
    expectedStatus: 308,
  },
];

describe("redirectRegex: Traefik's test table", () => {
  it('refuses an invalid regex (case "invalid regex")', () => {
    assert.throws(
      () => redirectRegex.create({ regex: '^(.*', replacement: '$1', permanent: false }, testBuildContext()),
      SwitchyardError,
    );
  });

  for (const c of cases) {
    it(c.desc, async () => {
      const options = { regex: '', replacement: '', permanent: false, ...c.config };
      const server = await serveMiddleware(redirectRegex.create(options, testBuildContext()), {
        scheme: c.secured ? 'https' : 'http',
      });
      try {
        const host = /^https?:\/\/([^/?]*)/.exec(c.url)![1]!;
        const headers = { 'X-Foo': 'bar', ...c.headers, Host: host };
        const res = await server.request(c.url, { method: c.method, headers });
        assert.equal(res.status, c.expectedStatus);
        // A URL without a path is received as `/` (origin form), so the Location may gain that `/`.
        const location = res.headers.location;
        if (c.expectedURL === undefined) assert.equal(location, undefined);
        else assert.ok(location === c.expectedURL || location === `${c.expectedURL}/`, location);
      } finally {
        await server.close();
      }
    });
  }
});
