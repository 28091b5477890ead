import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import rateLimit from './index.js';
import { LocalBuckets, maxDelayMs } from './token-bucket.js';

describe('rateLimit (local)', () => {
  it('lets the burst through, then answers 429 with Retry-After and X-Retry-In', async () => {
    const build = { ...testBuildContext(), name: 'rl-unit@file' };
    const s = await serveMiddleware(rateLimit.create({ average: 1, period: 3_600_000, burst: 3 }, build));
    try {
      const statuses: number[] = [];
      let refused: Awaited<ReturnType<typeof s.request>> | undefined;
      for (let i = 0; i < 6; i++) {
        const res = await s.request('/');
        statuses.push(res.status);
        if (res.status === 429) refused = res;
      }
      assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429]);
      assert.ok(Number(refused!.headers['retry-after']) >= 1);
      assert.match(String(refused!.headers['x-retry-in']), /^\d+ms$/);
    } finally {
      await s.close();
    }
  });

  it('keeps its buckets across a rebuild (a reload)', async () => {
    const opts = { average: 1, period: 3_600_000, burst: 1 };
    const first = await serveMiddleware(
      rateLimit.create(opts, { ...testBuildContext(), name: 'rl-reload@file' }),
    );
    try {
      assert.equal((await first.request('/')).status, 200);
    } finally {
      await first.close();
    }
    const second = await serveMiddleware(
      rateLimit.create(opts, { ...testBuildContext(), name: 'rl-reload@file', generation: 2 }),
    );
    try {
      assert.equal((await second.request('/')).status, 429);
    } finally {
      await second.close();
    }
  });

  it('passes everything with average 0', async () => {
    const s = await serveMiddleware(
      rateLimit.create({ average: 0, period: 1000, burst: 1 }, testBuildContext()),
    );
    try {
      for (let i = 0; i < 3; i++) assert.equal((await s.request('/')).status, 200);
    } finally {
      await s.close();
    }
  });

  it('delays a request that needs a short wait instead of refusing it', () => {
    const buckets = new LocalBuckets(10 / 1000, 1, maxDelayMs(10 / 1000));
    assert.deepEqual(buckets.take('a', 0), { allowed: true, waitMs: 0 });
    const second = buckets.take('a', 60);
    assert.equal(second.allowed, true);
    assert.ok(second.waitMs > 0 && second.waitMs <= 50);
    assert.equal(buckets.take('a', 60).allowed, false);
    assert.equal(maxDelayMs(0.5 / 1000), 500);
  });
});
