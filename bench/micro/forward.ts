/**
 * Micro-benchmark of the upstream client: small keep-alive GETs through one proxy process pinned to one
 * core, load (wrk) and backend (nginx `return 200`) pinned to another. Compares the ways a Node proxy can
 * talk to its upstream (see forward-server.ts) and, when installed, Caddy with GOMAXPROCS=1.
 *
 *   node --import tsx bench/micro/forward.ts [--rounds 3] [--seconds 5] [--connections 64] [--modes a,b]
 *
 * Rounds are interleaved (every mode once per round) so machine noise spreads evenly; the table shows
 * the median requests/s per mode and its ratio to Caddy. Needs `wrk`, `nginx` and `taskset`.
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
const has = (cmd: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const defaultModes = ['direct', 'agent', 'undici', 'switchyard', ...(has('caddy') ? ['caddy'] : [])];
const modes = opt('modes', defaultModes.join(',')).split(',');
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'sy-forward-bench-'));

function startProxy(mode: string, port: number, backend: number): ChildProcess {
  if (mode === 'caddy') {
    const file = path.join(dir, 'Caddyfile');
    writeFileSync(
      file,
      `{\n admin off\n auto_https off\n}\n:${port} {\n reverse_proxy 127.0.0.1:${backend}\n}\n`,
    );
    return spawn('taskset', ['-c', '0', 'caddy', 'run', '--config', file, '--adapter', 'caddyfile'], {
      stdio: 'ignore',
      env: { ...process.env, GOMAXPROCS: '1' },
    });
  }
  const script = path.join(here, 'forward-server.ts');
  return spawn(
    'taskset',
    ['-c', '0', process.execPath, '--import', 'tsx', script, mode, String(port), String(backend)],
    { stdio: 'ignore' },
  );
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

const caddy = results.has('caddy') ? median(results.get('caddy')!) : 0;
console.log(`\nsmall keep-alive GET, ${connections} connections, proxy on CPU 0, wrk + nginx on CPU 1`);
console.log('mode         median req/s   runs                      vs caddy');
for (const [mode, xs] of results) {
  const m = median(xs);
  const ratio = caddy > 0 ? `${(m / caddy).toFixed(2)}x` : '-';
  console.log(
    `${mode.padEnd(12)} ${String(Math.round(m)).padStart(12)}   ${xs.map(Math.round).join(' / ').padEnd(24)}  ${ratio}`,
  );
}
