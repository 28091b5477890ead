import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeSources } from './merge-sources.js';
import type { ConfigSource } from './source.js';

const src = (name: string, tree: Record<string, unknown>, fromStrings = false): ConfigSource => ({
  tree,
  fromStrings,
  locate: (path) => `${name}:${path.join('.')}`,
});

describe('mergeSources', () => {
  it('deep-merges, higher sources winning, keys matched case-insensitively', () => {
    const merged = mergeSources([
      src('file', { entryPoints: { web: { address: ':80', asDefault: true }, admin: { address: ':9' } } }),
      src('env', { entrypoints: { web: { address: ':81' } } }, true),
      src('flags', { ENTRYPOINTS: { WEB: { Address: ':82' } } }, true),
    ]);
    assert.deepEqual(merged.tree, {
      entryPoints: { web: { address: ':82', asDefault: true }, admin: { address: ':9' } },
    });
    assert.equal(merged.fromStrings, true);
  });

  it('replaces lists and scalars wholesale', () => {
    const merged = mergeSources([
      src('a', { list: [1, 2, 3], x: 'a' }),
      src('b', { list: { 0: 'z' }, x: { y: 1 } }),
    ]);
    assert.deepEqual(merged.tree, { list: { 0: 'z' }, x: { y: 1 } });
  });

  it('keeps a configured section when a higher source only switches it on', () => {
    const merged = mergeSources([
      src('file', { ping: { entryPoint: 'web' } }),
      src('flags', { ping: 'true' }),
    ]);
    assert.deepEqual(merged.tree, { ping: { entryPoint: 'web' } });
  });

  it('locates through the source that wrote the path, or its closest ancestor', () => {
    const merged = mergeSources([
      src('file', { api: { insecure: true }, log: { level: 'x' } }),
      src('flags', { log: { format: 'json' } }),
    ]);
    assert.equal(merged.locate(['api', 'insecure']), 'file:api.insecure');
    assert.equal(merged.locate(['log', 'level']), 'file:log.level');
    assert.equal(merged.locate(['log', 'format']), 'flags:log.format');
    assert.equal(merged.locate(['log', 'filePath']), 'flags:log.filePath', 'last writer of the parent');
  });

  it('does not modify its inputs', () => {
    const file = { a: { b: 1 } };
    mergeSources([src('f', file), src('g', { a: { c: 2 } })]);
    assert.deepEqual(file, { a: { b: 1 } });
  });
});
