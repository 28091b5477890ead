import { describe, it } from 'node:test';
import { checkRewrite, type RewriteCase, serveMiddleware, testBuildContext } from '../test-context.js';
import stripPrefix from './index.js';

// Traefik's TestStripPrefix (pkg/middlewares/stripprefix/strip_prefix_test.go), one for one. `url` is
// Traefik's expected request URI (the raw path when there is one; `/` for an emptied path).
const cases: (RewriteCase & { prefixes: string[]; forceSlash?: boolean })[] = [
  { desc: 'no prefixes configured', prefixes: [], path: '/noprefixes' },
  { desc: 'wildcard (.*) requests', prefixes: ['/'], path: '/', url: '/', header: '/' },
  { desc: 'prefix and path matching', prefixes: ['/stat'], path: '/stat', url: '/', header: '/stat' },
  {
    desc: 'path prefix on exactly matching path',
    prefixes: ['/stat/'],
    path: '/stat/',
    url: '/',
    header: '/stat/',
  },
  {
    desc: 'path prefix on matching longer path',
    prefixes: ['/stat/'],
    path: '/stat/us',
    url: '/us',
    header: '/stat/',
  },
  { desc: 'path prefix on mismatching path', prefixes: ['/stat/'], path: '/status' },
  { desc: 'general prefix on matching path', prefixes: ['/stat'], path: '/stat/', url: '/', header: '/stat' },
  {
    desc: 'earlier prefix matching',
    prefixes: ['/stat', '/stat/us'],
    path: '/stat/us',
    url: '/us',
    header: '/stat',
  },
  {
    desc: 'later prefix matching',
    prefixes: ['/mismatch', '/stat'],
    path: '/stat',
    url: '/',
    header: '/stat',
  },
  {
    desc: 'prefix matching within slash boundaries',
    prefixes: ['/stat'],
    path: '/status',
    url: '/us',
    header: '/stat',
  },
  {
    desc: 'raw path is also stripped',
    prefixes: ['/stat'],
    path: '/stat/a%2Fb',
    url: '/a%2Fb',
    header: '/stat',
  },
  {
    desc: 'encoded char in prefix segment of raw path',
    prefixes: ['/api/'],
    path: '/ap%69/a%2Fb',
    url: '/a%2Fb',
    header: '/api/',
  },
  { desc: 'dot in the path not stripped by the prefix', prefixes: ['/api'], path: '/api./foo', status: 400 },
  {
    desc: 'multiple dots in the path not stripped by the prefix',
    prefixes: ['/api'],
    path: '/api../foo',
    status: 400,
  },
  {
    desc: 'multiple dots in the path not stripped by the prefix with forceSlash',
    prefixes: ['/api'],
    forceSlash: true,
    path: '/api../foo',
    status: 400,
  },
];

describe("stripPrefix: Traefik's test table", () => {
  for (const c of cases) {
    it(c.desc, async () => {
      const options = {
        prefixes: c.prefixes,
        ...(c.forceSlash === undefined ? {} : { forceSlash: c.forceSlash }),
      };
      const server = await serveMiddleware(stripPrefix.create(options, testBuildContext()));
      try {
        await checkRewrite(server, c, 'x-forwarded-prefix');
      } finally {
        await server.close();
      }
    });
  }
});
