// HTTP/2 and gRPC benchmarks: `npm run bench:h2 -- [--scenario h2,grpc-unary] [--duration S] ...`.
// Every proxy in the same run, in front of the same backend; figures as ratios to Switchyard.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBackend } from '../backend.js';
import { freePort } from '../lib/net.js';
import { findExecutable, logTail, processRss, startPinned, stopAll, stopProcess } from '../lib/processes.js';
import { grpcClient, grpcLoad, grpcReady, startGrpcServer } from './grpc.js';
import { h2Ready, runH2load, waitFor } from './load.js';
import { caddyH2, type H2Context, type H2Peer, haproxyH2, makeCert, nginxH2, switchyardH2 } from './peers.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'h2,grpc-unary' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '4' },
    streams: { type: 'string', default: '100' },
    'grpc-calls': { type: 'string', default: '200000' },
    'grpc-inflight': { type: 'string', default: '32' },
    'keep-tmp': { type: 'boolean', default: false },
  },
});
const num = (name: keyof typeof values): number => {
  const v = Number(values[name]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a whole number`);
  return v;
};
const durationS = num('duration');
const warmupS = num('warmup');
const PROXY_CPU = 0;
const LOAD_CPU = 1;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const say = (line: string): void => void process.stderr.write(`${line}\n`);

interface Row {
  proxy: string;
  rps?: number;
  p50Ms?: number;
  p99Ms?: number;
  errors?: number;
  rssMiB?: number;
  note?: string;
}

async function withProxy<T>(
  name: string,
  peer: H2Peer,
  ctx: H2Context,
  ready: (exited: Promise<string>) => Promise<void>,
  body: () => Promise<T>,
): Promise<{ result: T; rssMiB: number }> {
  await mkdir(ctx.dir, { recursive: true });
  const launch = await peer(ctx);
  const started = startPinned(name, PROXY_CPU, launch.command, launch.args, {
    logFile: path.join(ctx.dir, 'output.log'),
    env: launch.env,
  });
  try {
    await ready(started.exited).catch((err: Error) => {
      throw new Error(`${name} ${err.message}:\n${logTail(started)}`);
    });
    const result = await body();
    return { result, rssMiB: processRss(started.pid, launch.rss) / 1024 };
  } finally {
    await stopProcess(started);
  }
}

const PEERS: [string, H2Peer, string][] = [
  ['switchyard', switchyardH2, process.execPath],
  ['nginx', nginxH2, 'nginx'],
  ['haproxy', haproxyH2, 'haproxy'],
  ['caddy', caddyH2, 'caddy'],
];

async function h2Scenario(dir: string): Promise<Row[]> {
  const cert = await makeCert(path.join(dir, 'cert'));
  const backendPort = await freePort();
  const backend = await startBackend('nginx', path.join(dir, 'backend'), backendPort, LOAD_CPU);
  const rows: Row[] = [];
  try {
    for (const [name, peer, exe] of PEERS) {
      if (!findExecutable(exe)) {
        rows.push({ proxy: name, note: 'skipped: not installed' });
        continue;
      }
      say(`[h2] ${name}: starting`);
      const port = await freePort();
      const pdir = path.join(dir, 'h2', name);
      const ctx: H2Context = {
        dir: pdir,
        port,
        backend: { host: '127.0.0.1', port: backendPort, h2c: false },
        cert,
        repoRoot,
      };
      try {
        const { result: r, rssMiB } = await withProxy(
          name,
          peer,
          ctx,
          (exited) => waitFor(() => h2Ready(port), exited, 60_000),
          () =>
            runH2load({
              port,
              dir: pdir,
              cpu: LOAD_CPU,
              connections: num('connections'),
              streams: num('streams'),
              durationS,
              warmupS,
            }),
        );
        say(`[h2] ${name}: ${Math.round(r.rps)} req/s, p99 ${r.p99Ms.toFixed(2)} ms, failed ${r.failed}`);
        rows.push({ proxy: name, rps: r.rps, p50Ms: r.p50Ms, p99Ms: r.p99Ms, errors: r.failed, rssMiB });
      } catch (err) {
        if (name === 'switchyard') throw err;
        rows.push({ proxy: name, note: `failed: ${(err as Error).message.split('\n')[0]}` });
      }
    }
  } finally {
    await stopProcess(backend.started);
  }
  return rows;
}

async function grpcScenario(dir: string): Promise<Row[]> {
  const server = await startGrpcServer();
  const rows: Row[] = [];
  try {
    for (const [name, peer, exe] of PEERS.filter(([n]) => n === 'switchyard' || n === 'caddy')) {
      if (!findExecutable(exe)) {
        rows.push({ proxy: name, note: 'skipped: not installed' });
        continue;
      }
      say(`[grpc-unary] ${name}: starting`);
      const port = await freePort();
      const ctx: H2Context = {
        dir: path.join(dir, 'grpc', name),
        port,
        backend: { host: '127.0.0.1', port: server.port, h2c: true },
        cert: undefined,
        repoRoot,
      };
      const client = grpcClient(port);
      try {
        const load = { inFlight: num('grpc-inflight'), maxCalls: num('grpc-calls') };
        const { result: r, rssMiB } = await withProxy(
          name,
          peer,
          ctx,
          (exited) => waitFor(() => grpcReady(client), exited, 60_000),
          async () => {
            if (warmupS > 0) await grpcLoad(client, { ...load, durationS: warmupS });
            return grpcLoad(client, { ...load, durationS });
          },
        );
        say(
          `[grpc-unary] ${name}: ${Math.round(r.rps)} calls/s, p99 ${r.p99Ms.toFixed(2)} ms, failed ${r.failed}`,
        );
        rows.push({ proxy: name, rps: r.rps, p50Ms: r.p50Ms, p99Ms: r.p99Ms, errors: r.failed, rssMiB });
      } catch (err) {
        if (name === 'switchyard') throw err;
        rows.push({ proxy: name, note: `failed: ${(err as Error).message.split('\n')[0]}` });
      } finally {
        client.close();
      }
    }
  } finally {
    await server.stop();
  }
  return rows;
}

function table(title: string, unit: string, rows: Row[]): string {
  const sy = rows.find((r) => r.proxy === 'switchyard');
  const fmt = (n: number | undefined, d = 0): string =>
    n === undefined ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const ratio = (a?: number, b?: number): string => (a && b ? `${(a / b).toFixed(2)}×` : '—');
  const out = [
    `${title}:`,
    '',
    `| Proxy | ${unit} | p50 | p99 | errors | RSS | Switchyard ÷ peer (${unit}) | Switchyard ÷ peer (p99) |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    if (r.note) {
      out.push(`| ${r.proxy} | ${r.note} | | | | | | |`);
      continue;
    }
    const self = r === sy;
    out.push(
      `| ${r.proxy} | ${fmt(r.rps)} | ${fmt(r.p50Ms, 2)} ms | ${fmt(r.p99Ms, 2)} ms | ${r.errors} | ${fmt(r.rssMiB, 1)} MiB | ${self ? '—' : ratio(sy?.rps, r.rps)} | ${self ? '—' : ratio(sy?.p99Ms, r.p99Ms)} |`,
    );
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const scenarios = String(values.scenario).split(',');
  const unknown = scenarios.filter((name) => name !== 'h2' && name !== 'grpc-unary');
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')} (h2, grpc-unary)`);
  const dir = await mkdtemp(path.join(tmpdir(), 'switchyard-bench-h2-'));
  const parts: string[] = [];
  try {
    if (scenarios.includes('h2'))
      parts.push(
        table(
          `h2 (TLS, ALPN h2, h2load -c ${num('connections')} -m ${num('streams')}, ${durationS} s)`,
          'req/s',
          await h2Scenario(dir),
        ),
      );
    if (scenarios.includes('grpc-unary'))
      parts.push(
        table(
          `grpc-unary (h2c, ${num('grpc-inflight')} calls in flight on one channel, ${durationS} s)`,
          'calls/s',
          await grpcScenario(dir),
        ),
      );
    process.stdout.write(`${parts.join('\n\n')}\n`);
  } finally {
    await stopAll();
    if (values['keep-tmp']) say(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

main().catch(async (err) => {
  say(`bench-h2 failed: ${err instanceof Error ? err.message : String(err)}`);
  await stopAll();
  process.exitCode = 1;
});
