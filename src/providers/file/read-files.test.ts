import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { FileStore } from './read-files.js';

const routerNames = (tree: unknown) =>
  Object.keys((tree as { http: { routers: Record<string, unknown> } }).http.routers);

describe('FileStore: a file read again', () => {
  let dir: string;
  after(() => rm(dir, { recursive: true, force: true }));

  it('keeps the parse of unchanged text, and parses changed or broken text again', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'read-files-'));
    const file = path.join(dir, 'dyn.yml');
    const store = new FileStore();
    await writeFile(file, 'http:\n  routers:\n    a: { rule: "Host(`a`)", service: s }\n');
    await store.read(file);
    const first = store.trees([file])[0]!.tree;
    await store.read(file);
    assert.equal(store.trees([file])[0]!.tree, first, 'the same text gives the same tree');

    await writeFile(file, 'http:\n  routers:\n    b: { rule: "Host(`b`)", service: s }\n');
    await store.read(file);
    assert.deepEqual(routerNames(store.trees([file])[0]!.tree), ['b']);

    await writeFile(file, 'http:\n  routers: [\n');
    await store.read(file);
    await store.read(file);
    const problems = store.problems([file]);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /cannot parse the file as YAML.*last good content stays in use/);
    assert.deepEqual(routerNames(store.trees([file])[0]!.tree), ['b']);

    await writeFile(file, 'http:\n  routers:\n    b: { rule: "Host(`b`)", service: s }\n');
    await store.read(file);
    assert.deepEqual(store.problems([file]), [], 'fixed again: the problem is gone');
  });
});
