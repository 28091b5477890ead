import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import { type HttpContext, sendText } from '../../core/http-context.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import buffering from './index.js';
import type { BufferingOptions } from './schema.js';

const defaults: BufferingOptions = {
  maxRequestBodyBytes: 0,
  memRequestBodyBytes: 1048576,
  maxResponseBodyBytes: 0,
  memResponseBodyBytes: 1048576,
  disableRequestBuffer: false,
  disableResponseBuffer: false,
};

const echoBody = (ctx: HttpContext) => {
  ctx.res.writeHead(200, { 'content-type': 'text/plain' });
  ctx.res.write(`got ${ctx.replayBody?.length ?? 0}:`);
  ctx.res.end(ctx.replayBody?.toString() ?? '');
};

async function send(options: Partial<BufferingOptions>, body: string, next = echoBody) {
  const s = await serveMiddleware(buffering.create({ ...defaults, ...options }, testBuildContext()), {
    next,
  });
  try {
    return await s.request('/', { method: 'POST', headers: { 'Transfer-Encoding': 'chunked' }, body });
  } finally {
    await s.close();
  }
}

describe('buffering', () => {
  it('reads the request, spilling to disk past the memory limit, and sends a Content-Length', async () => {
    const res = await send({ memRequestBodyBytes: 4, memResponseBodyBytes: 4 }, 'hello world');
    assert.equal(res.status, 200);
    assert.equal(res.body, 'got 11:hello world');
    assert.equal(res.headers['content-length'], String(res.body.length));
  });

  it('answers 413 to a request body over maxRequestBodyBytes', async () => {
    assert.equal((await send({ maxRequestBodyBytes: 5 }, 'too long body')).status, 413);
  });

  it('answers 500 to a response body over maxResponseBodyBytes', async () => {
    const res = await send({ maxResponseBodyBytes: 5 }, 'abcdefghij');
    assert.equal(res.status, 500);
  });

  it('retries while retryExpression holds', async () => {
    let calls = 0;
    const next = (ctx: HttpContext) => {
      calls++;
      if (calls === 1) {
        ctx.upstreamError = { status: 502, reason: 'reset', code: 'ECONNRESET' };
        sendText(ctx, 502, 'Bad Gateway');
      } else echoBody(ctx);
    };
    const res = await send({ retryExpression: 'IsNetworkError() && Attempts() < 2' }, 'again', next);
    assert.equal(res.status, 200);
    assert.equal(res.body, 'got 5:again');
    assert.equal(calls, 2);
  });

  it('refuses a bad retryExpression', () => {
    assert.throws(
      () => buffering.create({ ...defaults, retryExpression: 'Attempts( < 2' }, testBuildContext()),
      SwitchyardError,
    );
  });
});
