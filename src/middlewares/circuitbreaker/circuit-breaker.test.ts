import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import { type HttpContext, sendText } from '../../core/http-context.js';
import { compileExpression } from '../expression.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import circuitBreaker from './index.js';
import { RollingMetrics } from './metrics.js';

const base = { checkPeriod: 0, fallbackDuration: 60_000, recoveryDuration: 60_000, responseCode: 503 };

describe('circuitBreaker', () => {
  it('opens when the expression holds and answers responseCode while open', async () => {
    const next = (ctx: HttpContext) => sendText(ctx, ctx.req.url === '/fail' ? 500 : 200, 'x');
    const build = { ...testBuildContext(), name: 'cb-open@file' };
    const mw = circuitBreaker.create(
      {
        ...base,
        expression: 'ResponseCodeRatio(500, 600, 0, 600) > 0.5 && RequestThreshold() >= 3',
        responseCode: 418,
      },
      build,
    );
    const s = await serveMiddleware(mw, { next });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await s.request('/fail')).status);
      assert.deepEqual(statuses, [500, 500, 500, 418, 418]);
      assert.equal((await s.request('/ok')).status, 418);
    } finally {
      await s.close();
    }
  });

  it('keeps its state across a rebuild with the same name', async () => {
    const next = (ctx: HttpContext) => sendText(ctx, 500, 'x');
    const opts = { ...base, expression: 'ResponseCodeRatio(500, 600, 0, 600) > 0.5' };
    const first = await serveMiddleware(
      circuitBreaker.create(opts, { ...testBuildContext(), name: 'cb-keep@file' }),
      { next },
    );
    await first.request('/');
    await first.request('/');
    await first.close();
    const again = await serveMiddleware(
      circuitBreaker.create(opts, { ...testBuildContext(), name: 'cb-keep@file', generation: 2 }),
      { next },
    );
    try {
      assert.equal((await again.request('/')).status, 503);
    } finally {
      await again.close();
    }
  });

  it('refuses bad expressions when built', () => {
    for (const expression of [
      '',
      'Nope() > 1',
      'NetworkErrorRatio( > 1',
      'LatencyAtQuantileMS() > 1',
      'RequestThreshold() >',
    ]) {
      assert.throws(
        () => circuitBreaker.create({ ...base, expression }, testBuildContext()),
        SwitchyardError,
        expression,
      );
    }
  });
});

describe('circuit breaker metrics and expressions', () => {
  it('computes ratios, thresholds and latency quantiles', () => {
    const m = new RollingMetrics(() => 5_000);
    for (let i = 0; i < 8; i++) m.record(200, false, 10 * (i + 1));
    m.record(502, true, 100);
    m.record(500, false, 100);
    assert.equal(m.requests(), 10);
    assert.equal(m.networkErrorRatio(), 0.1);
    assert.equal(m.responseCodeRatio(500, 600, 0, 600), 0.2);
    assert.equal(m.responseCodeRatio(500, 600, 300, 400), 0);
    assert.equal(m.latencyAtQuantileMs(50), 50);
    const f = { N: { args: 0, call: () => 3 }, B: { args: 0, call: () => true } };
    assert.equal(compileExpression('N() > 2 && (N() < 1 || B())', f, 't')({}), true);
    assert.equal(compileExpression('N() == 3 && N() != 3 || N() <= 2', f, 't')({}), false);
  });
});
