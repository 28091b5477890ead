import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SniOptionsTable } from './sni-options.js';

describe('SniOptionsTable', () => {
  const table = new SniOptionsTable();
  table.set('API.example.test.', 'exact@file');
  table.set('*.example.test', 'one@file');
  table.set('**.deep.test', 'deep@file');
  table.set('*', 'ignored@file');

  it('matches exact names without regard to case or a trailing dot', () => {
    assert.equal(table.lookup('api.example.test'), 'exact@file');
    assert.equal(table.lookup('Api.Example.Test.'), 'exact@file');
  });

  it('prefers the exact name to a wildcard, and a wildcard covers one label', () => {
    assert.equal(table.lookup('www.example.test'), 'one@file');
    assert.equal(table.lookup('a.b.example.test'), undefined);
    assert.equal(table.lookup('example.test'), undefined);
  });

  it('a deep wildcard covers one label or more, never its parent; the catch-all is not a name', () => {
    assert.equal(table.lookup('a.deep.test'), 'deep@file');
    assert.equal(table.lookup('a.b.c.deep.test'), 'deep@file');
    assert.equal(table.lookup('deep.test'), undefined);
    assert.equal(table.lookup('unrelated.test'), undefined);
    assert.equal(table.size, 3);
  });
});
