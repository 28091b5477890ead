import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { referencedNames, renameReferences } from './references.js';
import type { Reference } from './registry.js';

const refs: Reference[] = [
  { path: ['service'], to: 'service' },
  { path: ['mirrors', '*', 'name'], to: 'service' },
  { path: ['serversTransport'], to: 'serversTransport' },
];

describe('references', () => {
  it('lists the names at the declared paths, lists as written by KV and labels too', () => {
    const options = { service: 'main', mirrors: [{ name: 'a' }, { name: 'b', percent: 5 }] };
    assert.deepEqual(referencedNames(options, refs), [
      { name: 'main', to: 'service' },
      { name: 'a', to: 'service' },
      { name: 'b', to: 'service' },
    ]);
    const fromKv = { service: 'main', mirrors: { 0: { name: 'a' } } };
    assert.deepEqual(
      referencedNames(fromKv, refs).map((r) => r.name),
      ['main', 'a'],
    );
  });

  it('renames into a copy and leaves what is not a name alone', () => {
    const options = { service: 'main', mirrors: [{ name: 'a', percent: 5 }, { percent: 1 }], other: 'x' };
    const out = renameReferences(options, refs, (n, to) => `${n}@${to}`);
    assert.deepEqual(out, {
      service: 'main@service',
      mirrors: [{ name: 'a@service', percent: 5 }, { percent: 1 }],
      other: 'x',
    });
    assert.equal(options.service, 'main');
    assert.equal(
      renameReferences(42, refs, (n) => n),
      42,
    );
    assert.equal(
      renameReferences(options, undefined, (n) => `${n}!`),
      options,
    );
  });
});
