/**
 * Cost of observability on the hot path: small keep-alive GETs through a real HttpEntryPoint + src/proxy
 * forward, proxy pinned to CPU 0, wrk + nginx on CPU 1. Modes (see observability-server.ts): `head` (the
 * entrypoint as committed, without diagnostics channels), `none` (channels, no subscriber), `metrics`,
 * `stats`, `accesslog`, `all`. Rounds are interleaved; the table shows medians and the ratio to `head`.
 *
 *   node --import tsx bench/micro/observability.ts [--rounds 3] [--seconds 5] [--connections 64] [--modes a,b]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startNginx, stop, waitPort } from './micro-lib.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const rounds = Number(opt('rounds', '3'));
const seconds = Number(opt('seconds', '5'));
const connections = Number(opt('connections', '64'));
const defaultModes = ['head', 'none', 'metrics', 'stats', 'accesslog', 'all'];
const modes = opt('modes', defaultModes.join(',')).split(',');
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

function wrk(port: number, secs: number): number {
  const out = execFileSync(
    'taskset',
    ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${secs}s`, `http://127.0.0.1:${port}/`],
    { encoding: 'utf8' },
  );
  if (/Non-2xx|Socket errors/.test(out)) console.error(`  warning: errors during the run\n${out}`);
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

const backendPort = await freePort();
const nginx = startNginx(dir, backendPort);
const results = new Map<string, number[]>(modes.map((m) => [m, []]));
try {
  await waitPort(backendPort);
  for (let r = 1; r <= rounds; r++) {
    for (const mode of modes) {
      const port = await freePort();
      const proxy = startProxy(mode, port, backendPort);
      try {
        await waitPort(port);
        wrk(port, 2); // warm-up: JIT, pools
        const rps = wrk(port, seconds);
        results.get(mode)!.push(rps);
        console.error(`round ${r} ${mode}: ${Math.round(rps)} req/s`);
      } finally {
        await stop(proxy);
      }
    }
  }
} finally {
  await stop(nginx);
  rmSync(dir, { recursive: true, force: true });
}

const base = results.has('head') ? median(results.get('head')!) : 0;
console.log(`\nsmall keep-alive GET, ${connections} connections, proxy on CPU 0, wrk + nginx on CPU 1`);
console.log('mode         median req/s   runs                      vs head');
for (const [mode, xs] of results) {
  const m = median(xs);
  const ratio = base > 0 ? `${(m / base).toFixed(3)}x` : '-';
  console.log(
    `${mode.padEnd(12)} ${String(Math.round(m)).padStart(12)}   ${xs.map(Math.round).join(' / ').padEnd(24)}  ${ratio}`,
  );
}
