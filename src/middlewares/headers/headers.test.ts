import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import { type HttpHandler, sendText } from '../../core/http-context.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import headers from './index.js';
import type { HeadersOptions } from './schema.js';

function serve(options: HeadersOptions, next?: HttpHandler) {
  return serveMiddleware(headers.create(options, testBuildContext()), { next });
}

function isConfigInvalid(message: string) {
  return (err: unknown) =>
    err instanceof SwitchyardError && err.code === 'CONFIG_INVALID' && err.message === message;
}

describe('headers: custom request headers', () => {
  it('sets headers, replacing a value sent by the client, and removes those with an empty value', async () => {
    const server = await serve({
      customRequestHeaders: { 'X-Script-Name': 'test', 'X-Replace': 'new', 'X-Remove': '' },
    });
    try {
      const got = await server.echo('/', {
        headers: { 'X-Replace': 'old', 'X-Remove': 'secret', 'X-Keep': 'k' },
      });
      assert.equal(got.headers['x-script-name'], 'test');
      assert.equal(got.headers['x-replace'], 'new');
      assert.equal(got.headers['x-remove'], undefined);
      assert.equal(got.headers['x-keep'], 'k');
    } finally {
      await server.close();
    }
  });

  it('sets the host forwarded upstream from a custom Host', async () => {
    const server = await serve({ customRequestHeaders: { host: 'backend.internal' } });
    try {
      const got = await server.echo('/', { headers: { Host: 'public.example' } });
      assert.equal(got.headers.host, 'backend.internal');
    } finally {
      await server.close();
    }
  });

  it('suppresses X-Forwarded-For with an empty value', async () => {
    const server = await serve({ customRequestHeaders: { 'X-Forwarded-For': '' } });
    try {
      const got = await server.echo('/', { headers: { 'X-Forwarded-For': '10.0.0.1' } });
      assert.equal(got.headers['x-forwarded-for'], undefined);
      assert.equal(got.forwardedForSuppressed, true);
    } finally {
      await server.close();
    }
  });

  it('does not suppress X-Forwarded-For when it is only set', async () => {
    const server = await serve({ customRequestHeaders: { 'X-Forwarded-For': '10.9.9.9' } });
    try {
      const got = await server.echo('/');
      assert.equal(got.headers['x-forwarded-for'], '10.9.9.9');
      assert.equal(got.forwardedForSuppressed, false);
    } finally {
      await server.close();
    }
  });
});

describe('headers: custom response headers', () => {
  it('sets and removes headers of the response written after it', async () => {
    const server = await serve({
      customResponseHeaders: {
        'X-Custom-Response': 'yes',
        'X-Content-Type-Options': '',
        'Content-Type': 'text/x',
      },
    });
    try {
      const res = await server.request('/');
      assert.equal(res.status, 200);
      assert.equal(res.headers['x-custom-response'], 'yes');
      assert.equal(res.headers['x-content-type-options'], undefined);
      assert.equal(res.headers['content-type'], 'text/x');
    } finally {
      await server.close();
    }
  });

  it('removes a header whatever its spelling in the response', async () => {
    const next: HttpHandler = (ctx) => sendText(ctx, 201, 'made', { 'X-Powered-By': 'php' });
    const server = await serve({ customResponseHeaders: { 'x-powered-by': '' } }, next);
    try {
      const res = await server.request('/');
      assert.equal(res.status, 201);
      assert.equal(res.headers['x-powered-by'], undefined);
      assert.equal(res.body, 'made');
    } finally {
      await server.close();
    }
  });

  it('applies request and response headers together', async () => {
    const server = await serve({
      customRequestHeaders: { 'X-In': '1' },
      customResponseHeaders: { 'X-Out': '2' },
    });
    try {
      const res = await server.request('/');
      assert.equal(JSON.parse(res.body).headers['x-in'], '1');
      assert.equal(res.headers['x-out'], '2');
    } finally {
      await server.close();
    }
  });
});

describe('headers: validation', () => {
  it('refuses a headers middleware with nothing to do, as Traefik does', () => {
    assert.throws(() => headers.create({}, testBuildContext()), isConfigInvalid('headers: no option is set'));
    assert.throws(() => headers.create({ customResponseHeaders: {} }, testBuildContext()), SwitchyardError);
    assert.throws(() => headers.create({ frameDeny: false }, testBuildContext()), SwitchyardError);
  });

  it('accepts a headers middleware with only stsSeconds: 0 (Traefik counts a given number as set)', () => {
    assert.doesNotThrow(() => headers.create({ stsSeconds: 0 }, testBuildContext()));
    assert.doesNotThrow(() => headers.create({ accessControlMaxAge: 0 }, testBuildContext()));
  });

  it('refuses an invalid origin regex when built', () => {
    assert.throws(
      () => headers.create({ accessControlAllowOriginListRegex: ['('] }, testBuildContext()),
      (err: unknown) => err instanceof SwitchyardError && err.code === 'CONFIG_INVALID',
    );
  });
});

describe('headers: CORS preflight and Access-Control-Max-Age', () => {
  const preflight = {
    method: 'OPTIONS',
    headers: { Origin: 'https://a.test', 'Access-Control-Request-Method': 'PUT' },
  };

  it('sends no Access-Control-Max-Age when accessControlMaxAge is not configured', async () => {
    const server = await serve({ accessControlAllowOriginList: ['*'], accessControlAllowMethods: ['PUT'] });
    try {
      const res = await server.request('/', preflight);
      assert.equal(res.status, 200);
      assert.equal(res.headers['access-control-allow-methods'], 'PUT');
      assert.equal(res.headers['access-control-max-age'], undefined);
    } finally {
      await server.close();
    }
  });

  it('sends the configured value, 0 included', async () => {
    for (const maxAge of [0, 600]) {
      const server = await serve({ accessControlAllowOriginList: ['*'], accessControlMaxAge: maxAge });
      try {
        const res = await server.request('/', preflight);
        assert.equal(res.headers['access-control-max-age'], String(maxAge));
      } finally {
        await server.close();
      }
    }
  });
});
