#!/usr/bin/env node
// Runs exactly the compiled test files (`dist/**/*.test.js`), each once, with Node's test runner.
// Node 20 has no glob patterns for `--test`, and its directory mode also picks helpers (`test/**`,
// `test-*.js`), so the list is built here and passed as explicit paths.
//
//   node scripts/run-tests.mjs [--list] [runner flags…] [path prefix…]
//
// `--list` prints the files (one a line) instead of running them. Arguments starting with `--` go to
// `node --test`; any other argument keeps only the files under that path (`dist/src/cli`).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every `*.test.js` under `dist/`, as repository-relative paths with `/`, sorted. */
function testFiles(dir = join(root, 'dist')) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.js'))
    .map((e) =>
      relative(root, join(e.parentPath ?? e.path, e.name))
        .split(sep)
        .join('/'),
    )
    .sort();
}

function main(argv) {
  const list = argv.includes('--list');
  const flags = argv.filter((a) => a.startsWith('--') && a !== '--list');
  const prefixes = argv.filter((a) => !a.startsWith('--')).map((p) => p.replace(/\/+$/, ''));
  const files = testFiles().filter(
    (f) => prefixes.length === 0 || prefixes.some((p) => f === p || f.startsWith(`${p}/`)),
  );
  if (files.length === 0) {
    process.stderr.write('no test files found under dist/ (build first: npx tsc -p tsconfig.json)\n');
    process.exit(1);
  }
  if (list) {
    process.stdout.write(`${files.join('\n')}\n`);
    return;
  }
  const child = spawn(process.execPath, ['--test', ...flags, ...files], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main(process.argv.slice(2));
