/**
 * Cost of observability on the hot path: small keep-alive GETs through a real HttpEntryPoint + src/proxy
 * forward, proxy pinned to CPU 0, wrk + nginx on CPU 1. Modes (see observability-server.ts): `head` (the
 * entrypoint as committed, without diagnostics channels), `none` (channels, no subscriber), `metrics`,
 * `stats`, `accesslog`, `all`. Rounds are interleaved; the table shows medians and the ratio to `head`.
 *
 *   node --import tsx bench/micro/observability.ts [--rounds 3] [--seconds 5] [--connections 64] [--modes a,b]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { microOptions, printTable, runInterleaved } from './micro-lib.js';

const { rounds, seconds, connections, modes } = microOptions('head,none,metrics,stats,accesslog,all');
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'sy-forward-bench-'));

/** `head`: the entrypoint as committed (before this change), copied aside with absolute imports. */
function headEntrypoint(): string {
  const root = path.resolve(here, '..', '..');
  const text = execFileSync('git', ['show', 'HEAD:src/entrypoints/http-entrypoint.ts'], {
    cwd: root,
    encoding: 'utf8',
  })
    .replace(/from '\.\.\//g, `from '${root}/src/`)
    .replace(/from '\.\//g, `from '${root}/src/entrypoints/`);
  const file = path.join(dir, 'http-entrypoint-head.ts');
  writeFileSync(file, text);
  return file;
}

function startProxy(mode: string, port: number, backend: number): ChildProcess {
  const script = path.join(here, 'observability-server.ts');
  const args = [
    process.execPath,
    '--import',
    'tsx',
    script,
    mode === 'head' ? 'none' : mode,
    String(port),
    String(backend),
  ];
  if (mode === 'head') args.push(headEntrypoint());
  return spawn('taskset', ['-c', '0', ...args], { stdio: 'ignore' });
}

const results = await runInterleaved({ modes, rounds, seconds, connections, dir, startProxy });
printTable(results, 'head', connections, 3);
