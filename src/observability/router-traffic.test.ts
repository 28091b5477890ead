import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LATENCY_BOUNDS, quantile, TrafficRecorder } from './router-traffic.js';

describe('router traffic', () => {
  it('counts requests by status class and latency bucket, per router', () => {
    const t = new TrafficRecorder();
    t.record('a@file', 200, 0.003);
    t.record('a@file', 204, 0.003);
    t.record('a@file', 404, 0.02);
    t.record('a@file', 502, 2);
    t.record('b@file', 301, 0.001);
    const a = t.snapshot('a@file');
    assert.equal(a.requests, 4);
    assert.deepEqual(a.statuses, { '1xx': 0, '2xx': 2, '3xx': 0, '4xx': 1, '5xx': 1 });
    assert.equal(
      a.latency.counts.reduce((x, y) => x + y, 0),
      4,
    );
    assert.equal(t.snapshot('b@file').statuses['3xx'], 1);
    assert.equal(t.snapshot('none@file').requests, 0);
  });

  it('puts a latency in the first bucket whose bound holds it, and past every bound in the last', () => {
    const t = new TrafficRecorder();
    t.record('r', 200, LATENCY_BOUNDS[3]!);
    t.record('r', 200, 1000);
    const { counts } = t.snapshot('r').latency;
    assert.equal(counts[3], 1);
    assert.equal(counts[LATENCY_BOUNDS.length], 1);
  });

  it('estimates p50 and p99 within the bucket that holds them', () => {
    const t = new TrafficRecorder();
    for (let i = 0; i < 98; i++) t.record('r', 200, 0.01);
    t.record('r', 200, 0.5);
    t.record('r', 200, 0.5);
    const { bounds, counts } = t.snapshot('r').latency;
    const p50 = quantile(bounds, counts, 0.5)!;
    const p99 = quantile(bounds, counts, 0.99)!;
    assert.ok(p50 > 0.007 && p50 <= 0.0114, `p50 ${p50}`);
    assert.ok(p99 > 0.35 && p99 <= 0.5, `p99 ${p99}`);
    assert.equal(quantile(bounds, new Array(counts.length).fill(0), 0.5), undefined);
  });
});
