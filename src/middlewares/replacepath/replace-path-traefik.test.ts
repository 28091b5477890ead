import { describe, it } from 'node:test';
import { checkRewrite, type RewriteCase, serveMiddleware, testBuildContext } from '../test-context.js';
import replacePath from './index.js';

// Traefik's TestReplacePath (pkg/middlewares/replacepath/replace_path_test.go), one for one. `url` is the
// request URI Traefik's test expects (the raw path when there is one).
const cases: (RewriteCase & { replacement: string })[] = [
  {
    desc: 'simple path',
    replacement: '/replacement-path',
    path: '/example',
    url: '/replacement-path',
    header: '/example',
  },
  {
    desc: 'long path',
    replacement: '/replacement-path',
    path: '/some/really/long/path',
    url: '/replacement-path',
    header: '/some/really/long/path',
  },
  {
    desc: 'path with escaped value',
    replacement: '/replacement-path',
    path: '/foo%2Fbar',
    url: '/replacement-path',
    header: '/foo%2Fbar',
  },
  {
    desc: 'replacement with escaped value',
    replacement: '/foo%2Fbar',
    path: '/path',
    url: '/foo%2Fbar',
    header: '/path',
  },
  {
    desc: 'replacement with percent encoded backspace char',
    replacement: '/path/%08bar',
    path: '/path/%08bar',
    url: '/path/%08bar',
    header: '/path/%08bar',
  },
];

describe("replacePath: Traefik's test table", () => {
  for (const c of cases) {
    it(c.desc, async () => {
      const server = await serveMiddleware(replacePath.create({ path: c.replacement }, testBuildContext()));
      try {
        await checkRewrite(server, c, 'x-replaced-path');
      } finally {
        await server.close();
      }
    });
  }
});
