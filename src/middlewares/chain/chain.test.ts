import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import addPrefix from '../addprefix/index.js';
import type { Middleware } from '../contract.js';
import { appendRequestHeader } from '../request-rewrite.js';
import stripPrefix from '../stripprefix/index.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import chain from './index.js';

/** Records its name on the request so the order is visible. */
function tag(name: string): Middleware {
  return (next) => (ctx) => {
    appendRequestHeader(ctx.req.headers, 'x-order', name);
    next(ctx);
  };
}

describe('chain', () => {
  it('applies its members in order, the first one seeing the request first', async () => {
    const build = testBuildContext({ a: tag('a'), b: tag('b'), c: tag('c') });
    const server = await serveMiddleware(chain.create({ middlewares: ['a', 'b', 'c'] }, build));
    try {
      const got = await server.echo('/');
      assert.deepEqual(got.headers['x-order'], ['a', 'b', 'c']);
    } finally {
      await server.close();
    }
  });

  it('composes real middlewares', async () => {
    const build = testBuildContext({
      strip: stripPrefix.create({ prefixes: ['/api'] }, testBuildContext()),
      v2: addPrefix.create({ prefix: '/v2' }, testBuildContext()),
    });
    const server = await serveMiddleware(chain.create({ middlewares: ['strip', 'v2'] }, build));
    try {
      const got = await server.echo('/api/users?id=7');
      assert.equal(got.url, '/v2/users?id=7');
      assert.equal(got.path, '/v2/users');
      assert.equal(got.headers['x-forwarded-prefix'], '/api');
    } finally {
      await server.close();
    }
  });

  it('passes requests through when empty', async () => {
    const server = await serveMiddleware(chain.create({ middlewares: [] }, testBuildContext()));
    try {
      assert.equal((await server.echo('/x?y')).url, '/x?y');
    } finally {
      await server.close();
    }
  });

  it('fails to build with an error naming an unknown member', () => {
    const build = testBuildContext({ a: tag('a') });
    assert.throws(
      () => chain.create({ middlewares: ['a', 'missing'] }, build),
      (err: unknown) =>
        err instanceof SwitchyardError &&
        err.code === 'CONFIG_REFERENCE' &&
        err.message === 'chain member 2 "missing" cannot be used: middleware "missing@file" does not exist',
    );
  });

  it('keeps the code of the member error and wraps non-catalogue errors', () => {
    const failing = testBuildContext();
    failing.middleware = () => {
      throw new SwitchyardError('CONFIG_INVALID', 'bad options');
    };
    assert.throws(
      () => chain.create({ middlewares: ['x'] }, failing),
      (err: unknown) =>
        err instanceof SwitchyardError && err.code === 'CONFIG_INVALID' && /bad options/.test(err.message),
    );
    failing.middleware = () => {
      throw new TypeError('boom');
    };
    assert.throws(
      () => chain.create({ middlewares: ['x'] }, failing),
      (err: unknown) =>
        err instanceof SwitchyardError && err.code === 'CONFIG_REFERENCE' && /boom/.test(err.message),
    );
  });
});
