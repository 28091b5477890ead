import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readV1File } from './v1-file.js';

const inline = {
  frontends: { f: { backend: 'b', routes: { r: { rule: 'Path:/x' } } } },
  backends: { b: {} },
};

describe('readV1File', () => {
  it('leaves v3 files alone', () => {
    const tree = { http: { routers: {} } };
    assert.deepEqual(readV1File(tree, '/tmp/a.toml'), {
      tree,
      v1: false,
      includes: [],
      warnings: [],
      errors: [],
    });
  });

  it('converts a v1 dynamic file', () => {
    const out = readV1File(inline, '/tmp/rules.toml');
    assert.equal(out.v1, true);
    const routers = (out.tree as { http: { routers: Record<string, unknown> } }).http.routers;
    assert.deepEqual(routers.f, { rule: 'Path(`/x`)', service: 'b', priority: 'Path:/x'.length });
  });

  it('uses the inline sections when [file] filename names the static file itself, else includes it', () => {
    const dir = '/nonexistent-switchyard-dir';
    const self = readV1File(
      { logLevel: 'INFO', file: { filename: join(dir, 'c.toml') }, ...inline },
      join(dir, 'c.toml'),
    );
    assert.deepEqual(self.includes, []);
    assert.ok((self.tree as { http?: unknown }).http);
    const other = readV1File(
      { logLevel: 'INFO', file: { filename: 'rules.toml' }, ...inline },
      join(dir, 'c.toml'),
    );
    assert.deepEqual(other.includes, [join(dir, 'rules.toml')]);
    assert.deepEqual(other.tree, {});
  });
});
