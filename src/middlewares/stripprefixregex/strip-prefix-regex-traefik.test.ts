import { describe, it } from 'node:test';
import { checkRewrite, type RewriteCase, serveMiddleware, testBuildContext } from '../test-context.js';
import stripPrefixRegex from './index.js';

// Traefik's TestStripPrefixRegex (pkg/middlewares/stripprefixregex/strip_prefix_regex_test.go), one for
// one. `url` is Traefik's expected request URI; where Traefik expects none (no match), the path goes on
// unchanged. Its case "/t /test/a2Fb" sends a raw space, which no HTTP/1 client can put in a request
// line: on the wire it is the next case, "/t%20/test/a%2Fb".
const A = ['/a/api/'];
const B = ['/b/([a-z0-9]+)/'];
const C = ['/c/[a-z0-9]+/[0-9]+/'];
const T = ['/t /test'];
const cases: (RewriteCase & { regex: string[] })[] = [
  { desc: '/a/test', regex: A, path: '/a/test' },
  { desc: '/a/test/', regex: A, path: '/a/test/' },
  { desc: '/a/api/', regex: A, path: '/a/api/', url: '/', header: '/a/api/' },
  { desc: '/a/api/test', regex: A, path: '/a/api/test', url: '/test', header: '/a/api/' },
  { desc: '/a/api/test/', regex: A, path: '/a/api/test/', url: '/test/', header: '/a/api/' },
  { desc: '/b/api/', regex: B, path: '/b/api/', url: '/', header: '/b/api/' },
  { desc: '/b/api', regex: B, path: '/b/api' },
  { desc: '/b/api/test1', regex: B, path: '/b/api/test1', url: '/test1', header: '/b/api/' },
  { desc: '/b/api2/test2', regex: B, path: '/b/api2/test2', url: '/test2', header: '/b/api2/' },
  { desc: '/c/api/123/', regex: C, path: '/c/api/123/', url: '/', header: '/c/api/123/' },
  { desc: '/c/api/123', regex: C, path: '/c/api/123' },
  { desc: '/c/api/123/test3', regex: C, path: '/c/api/123/test3', url: '/test3', header: '/c/api/123/' },
  { desc: '/c/api/abc/test4', regex: C, path: '/c/api/abc/test4' },
  { desc: '/a/api/a2Fb', regex: A, path: '/a/api/a%2Fb', url: '/a%2Fb', header: '/a/api/' },
  { desc: '/b/ap69/test', regex: B, path: '/b/ap%69/test', url: '/test', header: '/b/api/' },
  { desc: '/b/ap69/a2Fb', regex: B, path: '/b/ap%69/a%2Fb', url: '/a%2Fb', header: '/b/api/' },
  { desc: '/t2F/test/foo', regex: T, path: '/t%2F/test/foo' },
  { desc: '/t20/test/a2Fb', regex: T, path: '/t%20/test/a%2Fb', url: '/a%2Fb', header: '/t /test' },
  { desc: '/api./foo', regex: ['/api'], path: '/api./foo', status: 400 },
  { desc: '/api../foo', regex: ['/api'], path: '/api../foo', status: 400 },
];

describe("stripPrefixRegex: Traefik's test table", () => {
  for (const c of cases) {
    it(c.desc, async () => {
      const server = await serveMiddleware(stripPrefixRegex.create({ regex: c.regex }, testBuildContext()));
      try {
        await checkRewrite(server, c, 'x-forwarded-prefix');
      } finally {
        await server.close();
      }
    });
  }
});
