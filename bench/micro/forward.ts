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
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { microOptions, printTable, runInterleaved } from './micro-lib.js';

const has = (cmd: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const defaultModes = ['direct', 'agent', 'undici', 'switchyard', ...(has('caddy') ? ['caddy'] : [])];
const { rounds, seconds, connections, modes } = microOptions(defaultModes.join(','));
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

const results = await runInterleaved({ modes, rounds, seconds, connections, dir, startProxy });
printTable(results, 'caddy', connections);
