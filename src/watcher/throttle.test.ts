import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settle, waitFor } from './test-support.js';
import { Throttle } from './throttle.js';

describe('Throttle', () => {
  it('applies the first value at once, then the latest value of each window', async () => {
    const applied: number[] = [];
    const t = new Throttle<number>(40, (v) => {
      applied.push(v);
      return true;
    });
    t.push(1);
    t.push(2);
    t.push(3);
    assert.deepEqual(applied, [1]);
    await waitFor(() => applied.length === 2);
    assert.deepEqual(applied, [1, 3]);
    await settle(120);
    assert.deepEqual(applied, [1, 3]);
    t.push(4);
    assert.deepEqual(applied, [1, 3, 4]);
    t.stop();
  });

  it('drops a pending value on stop', async () => {
    const applied: number[] = [];
    const t = new Throttle<number>(30, (v) => applied.push(v) > 0);
    t.push(1);
    t.push(2);
    t.stop();
    await settle(90);
    assert.deepEqual(applied, [1]);
  });
});
