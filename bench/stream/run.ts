/**
 * Stream benchmark: TCP throughput of one large transfer, TCP connection rate and UDP echo round trips,
 * Switchyard against HAProxy (`mode tcp`) and nginx `stream`, each proxy pinned on core 0, the loads and
 * backends in this process. Bounded in count and in time; everything on 127.0.0.1. See ../README.md.
 *
 * Usage: npm run bench:stream -- [--mib 256] [--connections 3000] [--datagrams 5000] [--limit 10]
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../lib/net.js';
import {
  findExecutable,
  logTail,
  type Started,
  startPinned,
  stopAll,
  stopProcess,
} from '../lib/processes.js';
import {
  type Backends,
  connectionRate,
  echoes,
  type RateResult,
  startBackends,
  type ThroughputResult,
  throughput,
  udpRoundTrips,
} from './load.js';

interface Ports {
  bulk: number;
  conn: number;
  udp?: number;
}

interface StreamProxy {
  name: string;
  udp: boolean;
  /** Why it cannot run here, or undefined. */
  missing(): string | undefined;
  launch(dir: string, ports: Ports, b: Backends, root: string): Promise<{ command: string; args: string[] }>;
}

/** Debian's nginx has `stream` as a dynamic module (package libnginx-mod-stream). */
const NGINX_STREAM = '/usr/lib/nginx/modules/ngx_stream_module.so';

const PROXIES: StreamProxy[] = [
  {
    name: 'switchyard',
    udp: true,
    missing: () => undefined,
    async launch(dir, p, b, root) {
      const dynamic = path.join(dir, 'dynamic.yml');
      await writeFile(
        dynamic,
        `tcp:
  routers:
    bulk: { rule: "HostSNI(\`*\`)", entryPoints: [bulk], service: sink }
    conn: { rule: "HostSNI(\`*\`)", entryPoints: [conn], service: echo }
  services:
    sink: { loadBalancer: { servers: [{ address: "127.0.0.1:${b.sink}" }] } }
    echo: { loadBalancer: { servers: [{ address: "127.0.0.1:${b.echo}" }] } }
udp:
  routers:
    udp: { entryPoints: [udp], service: udpecho }
  services:
    udpecho: { loadBalancer: { servers: [{ address: "127.0.0.1:${b.udpEcho}" }] } }
`,
      );
      const args = [
        path.join(root, 'bin', 'switchyard.js'),
        `--entryPoints.bulk.address=127.0.0.1:${p.bulk}`,
        `--entryPoints.conn.address=127.0.0.1:${p.conn}`,
        `--entryPoints.udp.address=127.0.0.1:${p.udp}/udp`,
        `--providers.file.filename=${dynamic}`,
        '--log.level=ERROR',
      ];
      return { command: process.execPath, args };
    },
  },
  {
    name: 'haproxy',
    udp: false,
    missing: () => (findExecutable('haproxy') ? undefined : 'haproxy is not installed'),
    async launch(dir, p, b) {
      const conf = path.join(dir, 'haproxy.cfg');
      await writeFile(
        conf,
        `global
  nbthread 1
  maxconn 4096
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
listen bulk
  bind 127.0.0.1:${p.bulk}
  server s 127.0.0.1:${b.sink}
listen conn
  bind 127.0.0.1:${p.conn}
  server s 127.0.0.1:${b.echo}
`,
      );
      return { command: 'haproxy', args: ['-db', '-f', conf] };
    },
  },
  {
    name: 'nginx-stream',
    udp: true,
    missing: () =>
      !findExecutable('nginx')
        ? 'nginx is not installed'
        : existsSync(NGINX_STREAM)
          ? undefined
          : `${NGINX_STREAM} is missing (Debian package libnginx-mod-stream)`,
    async launch(dir, p, b) {
      const conf = path.join(dir, 'nginx.conf');
      await writeFile(
        conf,
        `load_module ${NGINX_STREAM};
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr error;
events { worker_connections 4096; }
stream {
  server { listen 127.0.0.1:${p.bulk}; proxy_pass 127.0.0.1:${b.sink}; }
  server { listen 127.0.0.1:${p.conn}; proxy_pass 127.0.0.1:${b.echo}; }
  server { listen 127.0.0.1:${p.udp} udp; proxy_pass 127.0.0.1:${b.udpEcho}; proxy_timeout 3s; }
}
`,
      );
      return { command: 'nginx', args: ['-p', dir, '-c', conf] };
    },
  },
];

interface Row {
  proxy: string;
  status: string;
  bulk?: ThroughputResult;
  conn?: RateResult;
  udp?: RateResult;
}

async function waitEcho(started: Started, port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`exited:\n${logTail(started)}`);
    if (await echoes(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not forwarding after 20 s:\n${logTail(started)}`);
}

async function measure(proxy: StreamProxy, b: Backends, opts: Options, root: string): Promise<Row> {
  const why = proxy.missing();
  if (why) return { proxy: proxy.name, status: `skipped: ${why}` };
  const dir = await mkdtemp(path.join(os.tmpdir(), `sy-stream-${proxy.name}-`));
  const ports: Ports = { bulk: await freePort(), conn: await freePort(), udp: await freePort() };
  const { command, args } = await proxy.launch(dir, ports, b, root);
  const started = startPinned(proxy.name, 0, command, args, { logFile: path.join(dir, 'log') });
  try {
    await waitEcho(started, ports.conn);
    const limit = opts.limitS * 1000;
    const row: Row = { proxy: proxy.name, status: 'ok' };
    row.bulk = await throughput(ports.bulk, opts.mib * 1024 * 1024, limit);
    row.conn = await connectionRate(ports.conn, opts.connections, 16, limit);
    if (proxy.udp) row.udp = await udpRoundTrips(ports.udp!, opts.datagrams, limit);
    return row;
  } catch (err) {
    return { proxy: proxy.name, status: `failed: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    await stopProcess(started);
    await rm(dir, { recursive: true, force: true });
  }
}

interface Options {
  mib: number;
  connections: number;
  datagrams: number;
  limitS: number;
}

function report(rows: Row[]): string {
  const sy = rows.find((r) => r.proxy === 'switchyard');
  const ratio = (a?: number, b?: number) => (a && b ? `${(a / b).toFixed(2)}×` : '—');
  const out = [
    '| Proxy | TCP MiB/s (one transfer) | TCP connections/s | UDP round trips/s | errors | Switchyard ÷ peer (MiB/s, conn/s, UDP) |',
    '|---|--:|--:|--:|--:|---|',
  ];
  for (const r of rows) {
    if (r.status !== 'ok') {
      out.push(`| ${r.proxy} | ${r.status} | | | | |`);
      continue;
    }
    const errors = (r.conn?.errors ?? 0) + (r.udp?.errors ?? 0) + (r.bulk?.intact === false ? 1 : 0);
    const ratios =
      r === sy
        ? '—'
        : [
            ratio(sy?.bulk?.mibPerSecond, r.bulk?.mibPerSecond),
            ratio(sy?.conn?.perSecond, r.conn?.perSecond),
            ratio(sy?.udp?.perSecond, r.udp?.perSecond),
          ].join(', ');
    out.push(
      `| ${r.proxy} | ${r.bulk?.mibPerSecond.toFixed(0)} | ${r.conn?.perSecond.toFixed(0)} | ${r.udp ? r.udp.perSecond.toFixed(0) : '—'} | ${errors} | ${ratios} |`,
    );
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      mib: { type: 'string', default: '256' },
      connections: { type: 'string', default: '3000' },
      datagrams: { type: 'string', default: '5000' },
      limit: { type: 'string', default: '10' },
    },
  });
  const opts: Options = {
    mib: Number(values.mib),
    connections: Number(values.connections),
    datagrams: Number(values.datagrams),
    limitS: Number(values.limit),
  };
  let root = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(root, 'package.json'))) root = path.dirname(root);
  const backends = await startBackends();
  const rows: Row[] = [];
  try {
    for (const proxy of PROXIES) {
      process.stderr.write(`${proxy.name}…\n`);
      rows.push(await measure(proxy, backends, opts, root));
    }
  } finally {
    await stopAll();
    await backends.close();
  }
  process.stdout.write(`${report(rows)}\n`);
  if (rows[0]?.status !== 'ok') process.exitCode = 1;
}

process.on('SIGINT', () => {
  void stopAll().then(() => process.exit(130));
});
await main();
