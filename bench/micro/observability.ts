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
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitPort(port: number, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function startNginx(port: number): ChildProcess {
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/nginx-error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:${port}; location / { return 200 "hello world\\n"; } } }\n`,
  );
  return spawn('taskset', ['-c', '1', 'nginx', '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' });
}

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
const nginx = startNginx(backendPort);
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
