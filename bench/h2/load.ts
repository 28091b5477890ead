import { readFile } from 'node:fs/promises';
import http2 from 'node:http2';
import path from 'node:path';
import { startPinned, stopProcess } from '../lib/processes.js';

export interface H2LoadResult {
  rps: number;
  succeeded: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests in h2load's per-request log the percentiles were computed from. */
  samples: number;
}

/** The value below which `q` of the sorted samples fall (nearest rank). */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

export interface H2LoadRun {
  port: number;
  dir: string;
  cpu: number | undefined;
  connections: number;
  streams: number;
  durationS: number;
  warmupS: number;
}

/**
 * One h2load run over TLS (ALPN h2). h2load 1.52 prints min/max/mean only, so p50 and p99 come from its
 * per-request log (`--log-file`: start, status, microseconds until the end of the response).
 */
export async function runH2load(run: H2LoadRun): Promise<H2LoadResult> {
  const logFile = path.join(run.dir, 'h2load.out');
  const reqLog = path.join(run.dir, 'requests.tsv');
  const args = ['-c', String(run.connections), '-m', String(run.streams), '-t', '1'].concat([
    '-D',
    String(run.durationS),
    '--warm-up-time',
    String(run.warmupS),
    `--log-file=${reqLog}`,
    `https://127.0.0.1:${run.port}/`,
  ]);
  const started = startPinned('h2load', run.cpu, 'h2load', args, { logFile });
  const limitMs = (run.durationS + run.warmupS + 30) * 1000;
  const timer = setTimeout(() => void stopProcess(started, 1000), limitMs);
  const code = await started.exited;
  clearTimeout(timer);
  const out = await readFile(logFile, 'utf8');
  const rps = /finished in [\d.]+\w+, ([\d.]+) req\/s/.exec(out);
  const req = /requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed/.exec(out);
  if (code !== '0' || !rps || !req) throw new Error(`h2load failed (exit ${code}):\n${out.slice(-1500)}`);
  const micros = (await readFile(reqLog, 'utf8'))
    .split('\n')
    .filter((line) => line.split('\t')[1]?.startsWith('2'))
    .map((line) => Number(line.split('\t')[2]))
    .sort((a, b) => a - b);
  return {
    rps: Number(rps[1]),
    succeeded: Number(req[1]),
    failed: Number(req[2]),
    p50Ms: percentile(micros, 0.5) / 1000,
    p99Ms: percentile(micros, 0.99) / 1000,
    samples: micros.length,
  };
}

/** One GET over TLS and HTTP/2; the status, or 0 when nothing answered (not ready yet). */
function probeH2(port: number): Promise<number> {
  return new Promise((resolve) => {
    const session = http2.connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
    const done = (status: number): void => {
      session.destroy();
      resolve(status);
    };
    session.setTimeout(1000, () => done(0));
    session.on('error', () => done(0));
    const req = session.request({ ':path': '/' });
    req.on('response', (headers) => {
      req.resume();
      req.on('end', () => done(Number(headers[':status'] ?? 0)));
    });
    req.on('error', () => done(0));
    req.end();
  });
}

/** Waits until `check` answers true, or `exited` settles, or `timeoutMs` passes. */
export async function waitFor(
  check: () => Promise<boolean>,
  exited: Promise<string>,
  timeoutMs: number,
): Promise<void> {
  let exit: string | undefined;
  exited.then((code) => {
    exit = code;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exit !== undefined) throw new Error(`exited (${exit}) before answering`);
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not ready after ${timeoutMs} ms`);
}

export async function h2Ready(port: number): Promise<boolean> {
  const status = await probeH2(port);
  return status >= 200 && status < 300;
}
