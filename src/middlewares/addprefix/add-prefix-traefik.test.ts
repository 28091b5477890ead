import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import { checkRewrite, type RewriteCase, serveMiddleware, testBuildContext } from '../test-context.js';
import addPrefix from './index.js';

// Traefik's TestNewAddPrefix and TestAddPrefix (pkg/middlewares/addprefix/add_prefix_test.go), one for one.
const cases: (RewriteCase & { prefix: string })[] = [
  { desc: 'Works with a regular path', prefix: '/a', path: '/b', url: '/a/b' },
  { desc: 'Works with missing leading slash', prefix: 'a', path: '/', url: '/a/' },
  { desc: 'Works with a raw path', prefix: '/a', path: '/b%2Fc', url: '/a/b%2Fc' },
];

describe("addPrefix: Traefik's test table", () => {
  it('Fails if prefix is empty', () => {
    assert.throws(() => addPrefix.create({ prefix: '' }, testBuildContext()), SwitchyardError);
  });

  for (const c of cases) {
    it(c.desc, async () => {
      const server = await serveMiddleware(addPrefix.create({ prefix: c.prefix }, testBuildContext()));
      try {
        await checkRewrite(server, c, 'x-forwarded-prefix');
      } finally {
        await server.close();
      }
    });
  }
});
