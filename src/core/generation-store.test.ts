import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GenerationStore } from './generation-store.js';

describe('GenerationStore', () => {
  it('keeps an entry while any generation using it has not drained', () => {
    const disposed: string[] = [];
    const store = new GenerationStore<string>((_v, key) => disposed.push(key));
    store.use('redis', 1, () => 'client-1');
    store.use('pool', 1, () => 'pool-1');
    // Generation 2 keeps the pool but no longer has the rate limit with its Redis client.
    assert.equal(
      store.use('pool', 2, () => 'other'),
      'pool-1',
    );
    // Generation 2 is live and generation 1 still has a request running: nothing is disposed.
    assert.deepEqual(disposed, []);
    assert.equal(store.peek('redis'), 'client-1');
    store.release(1);
    assert.deepEqual(disposed, ['redis']);
    assert.equal(store.peek('pool'), 'pool-1');
    store.release(2);
    assert.deepEqual(disposed, ['redis', 'pool']);
    assert.equal(store.size, 0);
  });

  it('releases generations out of order and sweeps everything at shutdown', () => {
    const disposed: string[] = [];
    const store = new GenerationStore<string>((_v, key) => disposed.push(key));
    store.use('a', 1, () => 'a');
    store.use('b', 2, () => 'b');
    store.use('c', 3, () => 'c');
    store.release(2);
    assert.deepEqual(disposed, ['b']);
    store.sweep(3);
    assert.deepEqual(disposed, ['b', 'a']);
    store.sweep(Number.POSITIVE_INFINITY);
    assert.deepEqual(disposed, ['b', 'a', 'c']);
  });
});
