import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlat, splitFlatKey } from './flat-tree.js';
import { PathIndex } from './path-index.js';

describe('splitFlatKey', () => {
  it('splits on dots and list indexes', () => {
    assert.deepEqual(splitFlatKey('a.b[0].c'), ['a', 'b', '0', 'c']);
    assert.deepEqual(splitFlatKey('a[1][2]'), ['a', '1', '2']);
    assert.deepEqual(splitFlatKey('a.1.b'), ['a', '1', 'b']);
  });
});

describe('setFlat', () => {
  it('keeps the first spelling of a key and merges case-insensitively', () => {
    const tree: Record<string, unknown> = {};
    setFlat(tree, ['entryPoints', 'web', 'address'], ':80');
    setFlat(tree, ['ENTRYPOINTS', 'Web', 'asDefault'], 'true');
    assert.deepEqual(tree, { entryPoints: { web: { address: ':80', asDefault: 'true' } } });
  });

  it('lets a section win over a bare switch in either order', () => {
    const a: Record<string, unknown> = {};
    setFlat(a, ['ping'], 'true');
    setFlat(a, ['ping', 'entryPoint'], 'web');
    const b: Record<string, unknown> = {};
    setFlat(b, ['ping', 'entryPoint'], 'web');
    setFlat(b, ['ping'], 'true');
    assert.deepEqual(a, { ping: { entryPoint: 'web' } });
    assert.deepEqual(b, a);
  });
});

describe('PathIndex', () => {
  const index = new PathIndex<string>();
  index.set(['entryPoints', 'web'], 'web line');
  index.set(['entryPoints', 'web', 'address'], 'address line');
  index.set(['log', 'level'], 'level flag');

  it('finds exact paths case-insensitively', () => {
    assert.equal(index.find(['ENTRYPOINTS', 'web', 'Address']), 'address line');
  });

  it('falls back to what is written under the path, then to ancestors', () => {
    assert.equal(index.find(['log']), 'level flag');
    assert.equal(index.find(['log', 'format']), 'level flag');
    assert.equal(index.find(['entryPoints', 'web', 'http', 'tls']), 'web line');
    assert.equal(index.find(['api', 'insecure']), undefined);
  });
});
