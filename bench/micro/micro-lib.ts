import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { freePort } from '../lib/net.js';

export { freePort };

/** Resolves once something accepts connections on 127.0.0.1:`port` (bounded by `ms`). */
export async function waitPort(port: number, ms = 20_000): Promise<void> {
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

/** Stops a child this benchmark started (SIGTERM to its PID) and waits for it to exit. */
export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** An nginx `return 200` backend on core 1, configured in `dir`. */
export function startNginx(dir: string, port: number): ChildProcess {
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/nginx-error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:${port}; location / { return 200 "hello world\\n"; } } }\n`,
  );
  return spawn('taskset', ['-c', '1', 'nginx', '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' });
}

/** Requests/s of one wrk run pinned to core 1 (errors are reported on stderr). */
export function wrk(port: number, secs: number, connections: number): number {
  const out = execFileSync(
    'taskset',
    ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${secs}s`, `http://127.0.0.1:${port}/`],
    { encoding: 'utf8' },
  );
  if (/Non-2xx|Socket errors/.test(out)) console.error(`  warning: errors during the run\n${out}`);
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

/**
 * Starts the nginx backend, then for each round runs every mode in turn (interleaved, so drift hits all
 * modes alike): start its proxy, warm up, measure, stop it. Returns the req/s of every run per mode.
 */
export async function runInterleaved(opts: {
  modes: string[];
  rounds: number;
  seconds: number;
  connections: number;
  dir: string;
  startProxy: (mode: string, port: number, backendPort: number) => ChildProcess;
}): Promise<Map<string, number[]>> {
  const backendPort = await freePort();
  const nginx = startNginx(opts.dir, backendPort);
  const results = new Map<string, number[]>(opts.modes.map((m) => [m, []]));
  try {
    await waitPort(backendPort);
    for (let r = 1; r <= opts.rounds; r++) {
      for (const mode of opts.modes) {
        const port = await freePort();
        const proxy = opts.startProxy(mode, port, backendPort);
        try {
          await waitPort(port);
          wrk(port, 2, opts.connections); // warm-up: JIT, pools
          const rps = wrk(port, opts.seconds, opts.connections);
          results.get(mode)!.push(rps);
          console.error(`round ${r} ${mode}: ${Math.round(rps)} req/s`);
        } finally {
          await stop(proxy);
        }
      }
    }
  } finally {
    await stop(nginx);
    rmSync(opts.dir, { recursive: true, force: true });
  }
  return results;
}

/** Prints medians, runs and the ratio to the `base` mode (when it was measured). */
export function printTable(
  results: Map<string, number[]>,
  base: string,
  connections: number,
  digits = 2,
): void {
  const baseline = results.has(base) ? median(results.get(base)!) : 0;
  console.log(`\nsmall keep-alive GET, ${connections} connections, proxy on CPU 0, wrk + nginx on CPU 1`);
  console.log(`mode         median req/s   runs                      vs ${base}`);
  for (const [mode, xs] of results) {
    const m = median(xs);
    const ratio = baseline > 0 ? `${(m / baseline).toFixed(digits)}x` : '-';
    console.log(
      `${mode.padEnd(12)} ${String(Math.round(m)).padStart(12)}   ${xs.map(Math.round).join(' / ').padEnd(24)}  ${ratio}`,
    );
  }
}

/** The common options of a micro-benchmark: `--rounds`, `--seconds`, `--connections`, `--modes`. */
export function microOptions(defaultModes: string, argv = process.argv.slice(2)) {
  const opt = (name: string, fallback: string): string => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
  };
  return {
    rounds: Number(opt('rounds', '3')),
    seconds: Number(opt('seconds', '5')),
    connections: Number(opt('connections', '64')),
    modes: opt('modes', defaultModes).split(','),
  };
}
