import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import { type HttpContext, sendText } from '../../core/http-context.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import retry from './index.js';
import { retryChannel } from './retry.js';
import type { RetryOptions } from './schema.js';

const defaults = {
  initialInterval: 0,
  timeout: 0,
  maxRequestBodyBytes: 2 * 1024 * 1024,
  disableRetryOnNetworkError: false,
  retryNonIdempotentMethod: false,
};

/** Fails (network, code, or status) for the first `failures` calls, then echoes attempt and body. */
function flaky(failures: number, how: 'network' | 'refused' | number) {
  let calls = 0;
  const next = (ctx: HttpContext) => {
    calls++;
    if (calls <= failures) {
      if (typeof how === 'number') sendText(ctx, how, 'bad');
      else {
        ctx.upstreamError = {
          status: 502,
          reason: 'reset',
          code: how === 'refused' ? 'ECONNREFUSED' : 'ECONNRESET',
        };
        sendText(ctx, 502, 'Bad Gateway');
      }
      return;
    }
    sendText(ctx, 200, `attempt ${ctx.retryAttempts} body=${ctx.replayBody?.toString() ?? ''}`);
  };
  return { next, calls: () => calls };
}

async function run(
  options: Partial<RetryOptions>,
  backend: ReturnType<typeof flaky>,
  method = 'GET',
  body?: string,
) {
  const s = await serveMiddleware(
    retry.create({ ...defaults, attempts: 3, ...options }, testBuildContext()),
    { next: backend.next },
  );
  try {
    const headers: Record<string, string> = body ? { 'Content-Length': String(Buffer.byteLength(body)) } : {};
    return await s.request('/', { method, headers, body });
  } finally {
    await s.close();
  }
}

describe('retry', () => {
  it('retries network failures until a try succeeds', async () => {
    const b = flaky(2, 'network');
    const res = await run({}, b);
    assert.equal(res.status, 200);
    assert.match(res.body, /^attempt 2/);
    assert.equal(b.calls(), 3);
  });

  it('publishes each replayed attempt on the switchyard:retry channel', async () => {
    const attempts: number[] = [];
    const listener = (message: unknown) => attempts.push((message as { attempt: number }).attempt);
    retryChannel.subscribe(listener);
    try {
      const res = await run({}, flaky(2, 'network'));
      assert.equal(res.status, 200);
    } finally {
      retryChannel.unsubscribe(listener);
    }
    assert.deepEqual(attempts, [2, 3]);
  });

  it('returns the last failure when attempts run out', async () => {
    const b = flaky(5, 'network');
    const res = await run({ attempts: 2 }, b);
    assert.equal(res.status, 502);
    assert.equal(b.calls(), 2);
  });

  it('does not retry a POST reset after sending, but does when the connection was refused', async () => {
    assert.equal((await run({}, flaky(1, 'network'), 'POST')).status, 502);
    assert.equal((await run({}, flaky(1, 'refused'), 'POST')).status, 200);
    assert.equal((await run({ retryNonIdempotentMethod: true }, flaky(1, 'network'), 'POST')).status, 200);
  });

  it('retries listed statuses for idempotent methods only', async () => {
    assert.equal((await run({ status: ['500-599'] }, flaky(1, 503))).status, 200);
    assert.equal((await run({ status: ['500-599'] }, flaky(1, 404))).status, 404);
    assert.equal((await run({ status: ['500-599'] }, flaky(1, 503), 'POST')).status, 503);
    assert.equal((await run({}, flaky(1, 503))).status, 503);
  });

  it('does not retry network errors with disableRetryOnNetworkError', async () => {
    assert.equal(
      (await run({ status: ['500'], disableRetryOnNetworkError: true }, flaky(1, 'network'))).status,
      502,
    );
  });

  it('replays the request body', async () => {
    const res = await run({}, flaky(1, 'network'), 'PUT', 'payload');
    assert.equal(res.body, 'attempt 1 body=payload');
  });

  it('validates its options', () => {
    assert.throws(() => retry.create({ ...defaults, attempts: 0 }, testBuildContext()), SwitchyardError);
    assert.throws(
      () => retry.create({ ...defaults, attempts: 2, disableRetryOnNetworkError: true }, testBuildContext()),
      SwitchyardError,
    );
    assert.throws(
      () => retry.create({ ...defaults, attempts: 2, status: ['5xx'] }, testBuildContext()),
      SwitchyardError,
    );
  });
});
