import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/cli.js';

/** Every file under `dir` (repository-relative, `/`-separated), sorted. */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(REPO_ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...walk(path));
    else if (e.isFile()) out.push(path);
  }
  return out.sort();
}

const listed = () =>
  execFileSync(process.execPath, ['scripts/run-tests.mjs', '--list'], { cwd: REPO_ROOT, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);

describe('npm test runs exactly the test files, once each', () => {
  it('lists every dist/**/*.test.js and nothing else', () => {
    const files = listed();
    assert.deepEqual(
      files,
      walk('dist').filter((f) => f.endsWith('.test.js')),
    );
    assert.equal(new Set(files).size, files.length, 'no file twice');
    for (const helper of [
      'dist/test/helpers/backends.js',
      'dist/test/integration/kv-alias-scenario.js',
      'dist/src/watcher/test-support.js',
      'dist/test/integration/docker-provider.suite.js',
    ]) {
      assert.ok(!files.includes(helper), `${helper} is a helper, not a test file`);
    }
  });

  it('keeps only the files under the paths given', () => {
    const out = execFileSync(process.execPath, ['scripts/run-tests.mjs', '--list', 'dist/src/watcher/'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    const files = out.split('\n').filter(Boolean);
    assert.ok(files.length > 0);
    assert.ok(files.every((f) => f.startsWith('dist/src/watcher/') && f.endsWith('.test.js')));
  });

  it('runs each shared suite (*.suite.js) from exactly one test file', () => {
    const tests = walk('dist').filter((f) => f.endsWith('.test.js'));
    const suites = walk('dist').filter((f) => f.endsWith('.suite.js'));
    assert.ok(suites.length > 0);
    for (const suite of suites) {
      const name = suite.split('/').at(-1)!;
      const statement = new RegExp(`^import '\\./${name.replace(/\./g, '\\.')}';$`, 'm');
      const importers = tests.filter((t) => statement.test(readFileSync(join(REPO_ROOT, t), 'utf8')));
      assert.equal(importers.length, 1, `${suite} is imported by ${importers.join(', ') || 'no test file'}`);
    }
  });

  it('is what npm test runs, with a concurrency and a timeout', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    const script: string = pkg.scripts.test;
    assert.match(script, /npm run build && npm run lint && node scripts\/run-tests\.mjs /);
    assert.match(script, /--test-concurrency=\d+/);
    assert.match(script, /--test-timeout=\d+/);
    assert.doesNotMatch(script, /--test [^-]|dist\/\s*$/, 'no directory mode');
  });
});
