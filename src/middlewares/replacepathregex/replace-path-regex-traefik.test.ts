import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import { checkRewrite, type RewriteCase, serveMiddleware, testBuildContext } from '../test-context.js';
import replacePathRegex from './index.js';

// Traefik's TestReplacePathRegex (pkg/middlewares/replacepathregex/replace_path_regex_test.go), one for
// one. `url` is the request URI Traefik's test expects.
const cases: (RewriteCase & { regex: string; replacement: string })[] = [
  {
    desc: 'simple regex',
    regex: '^/whoami/(.*)',
    replacement: '/who-am-i/$1',
    path: '/whoami/and/whoami',
    url: '/who-am-i/and/whoami',
    header: '/whoami/and/whoami',
  },
  {
    desc: 'simple replace (no regex)',
    regex: '/whoami',
    replacement: '/who-am-i',
    path: '/whoami/and/whoami',
    url: '/who-am-i/and/who-am-i',
    header: '/whoami/and/whoami',
  },
  {
    desc: 'empty replacement',
    regex: '/whoami',
    replacement: '',
    path: '/whoami/and/whoami',
    url: '/and',
    header: '/whoami/and/whoami',
  },
  {
    desc: 'empty trimmed replacement',
    regex: '/whoami',
    replacement: ' ',
    path: '/whoami/and/whoami',
    url: '/and',
    header: '/whoami/and/whoami',
  },
  { desc: 'no match', regex: '/no-match', replacement: '/whoami', path: '/whoami/and/whoami' },
  {
    desc: 'multiple replacement',
    regex: '^(?i)/downloads/([^/]+)/([^/]+)$',
    replacement: '/downloads/$1-$2',
    path: '/downloads/src/source.go',
    url: '/downloads/src-source.go',
    header: '/downloads/src/source.go',
  },
  {
    desc: 'replacement with escaped char',
    regex: '/aaa/bbb',
    replacement: '/foo%2Fbar',
    path: '/aaa/bbb',
    url: '/foo%2Fbar',
    header: '/aaa/bbb',
  },
  {
    desc: 'path and regex with escaped char',
    regex: '/aaa%2Fbbb',
    replacement: '/foo/bar',
    path: '/aaa%2Fbbb',
    url: '/foo/bar',
    header: '/aaa%2Fbbb',
  },
  {
    desc: 'path with escaped char (no match)',
    regex: '/aaa/bbb',
    replacement: '/foo/bar',
    path: '/aaa%2Fbbb',
  },
  {
    desc: 'path with percent encoded backspace char',
    regex: '^/foo/(.*)',
    replacement: '/$1',
    path: '/foo/%08bar',
    url: '/%08bar',
    header: '/foo/%08bar',
  },
  { desc: 'path with ..', regex: '^/foo(.*)', replacement: '/$1', path: '/foo../bar', status: 400 },
];

describe("replacePathRegex: Traefik's test table", () => {
  it('invalid regular expression', () => {
    const options = { regex: '^(?err)/invalid/regexp/([^/]+)$', replacement: '/valid/regexp/$1' };
    assert.throws(() => replacePathRegex.create(options, testBuildContext()), SwitchyardError);
  });

  for (const c of cases) {
    it(c.desc, async () => {
      const options = { regex: c.regex, replacement: c.replacement };
      const server = await serveMiddleware(replacePathRegex.create(options, testBuildContext()));
      try {
        await checkRewrite(server, c, 'x-replaced-path');
      } finally {
        await server.close();
      }
    });
  }
});
