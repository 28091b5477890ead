#!/usr/bin/env node
// Runs exactly the compiled test files (`dist/**/*.test.js`), each once, with Node's test runner.
// Node 20 has no glob patterns for `--test`, and its directory mode also picks helpers (`test/**`,
// `test-*.js`), so the list is built here and passed as explicit paths.
//
//   node scripts/run-tests.mjs [--list] [runner flags…] [path prefix…]
//
// `--list` prints the files (one a line) instead of running them. Arguments starting with `--` go to
// `node --test`; any other argument keeps only the files under that path (`dist/src/cli`).
//
// A file whose source holds a line `// test-file-timeout: MS` (a container build, say) needs longer than
// `--test-timeout` allows a whole file: such files run after the others, one at a time, in a second
// `node --test` with that timeout. The exit status is the first failure's.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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
  const marked = new Map();
  for (const f of files) {
    const m = /^\/\/ test-file-timeout: (\d+)$/m.exec(readFileSync(join(root, f), 'utf8'));
    if (m) marked.set(f, Number(m[1]));
  }
  const runs = [{ files: files.filter((f) => !marked.has(f)), flags }];
  if (marked.size > 0) {
    const timeout = Math.max(...marked.values());
    const longFlags = flags.filter(
      (a) => !a.startsWith('--test-timeout') && !a.startsWith('--test-concurrency'),
    );
    runs.push({
      files: [...marked.keys()],
      flags: [...longFlags, '--test-concurrency=1', `--test-timeout=${timeout}`],
    });
  }
  let status = 0;
  let current;
  let stopped = false; // interrupted: no further run starts
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      stopped = true;
      current?.kill(signal);
    });
  }
  const next = (i) => {
    const run = runs[i];
    if (!run || stopped) process.exit(stopped && status === 0 ? 1 : status);
    if (run.files.length === 0) return next(i + 1);
    current = spawn(process.execPath, ['--test', ...run.flags, ...run.files], {
      cwd: root,
      stdio: 'inherit',
    });
    current.on('exit', (code, signal) => {
      if (status === 0) status = code ?? (signal ? 1 : 0);
      next(i + 1);
    });
  };
  next(0);
}

main(process.argv.slice(2));
