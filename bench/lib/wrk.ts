import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startPinned, stopProcess } from './processes.js';

export interface LoadSpec {
  port: number;
  urlPath: string;
  host?: string;
  connections: number;
  threads: number;
  durationS: number;
  cpu: number | undefined;
  /** Folder for wrk's output files. */
  dir: string;
}

/** One wrk run's figures. Latencies in milliseconds. */
export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** wrk's "Non-2xx or 3xx responses". */
  non2xx: number;
  /** connect + read + write + timeout socket errors. */
  socketErrors: number;
}

let runCount = 0;

/** Runs wrk (`--latency`) against 127.0.0.1, bounded by its duration plus a margin, and parses its report. */
export async function runWrk(spec: LoadSpec): Promise<LoadResult> {
  const logFile = path.join(spec.dir, `wrk-${++runCount}.txt`);
  const args = [
    `-t${spec.threads}`,
    `-c${spec.connections}`,
    `-d${spec.durationS}s`,
    '--latency',
    '--timeout',
    '5s',
    ...(spec.host ? ['-H', `Host: ${spec.host}`] : []),
    `http://127.0.0.1:${spec.port}${spec.urlPath}`,
  ];
  const started = startPinned('wrk', spec.cpu, 'wrk', args, { logFile });
  const guard = setTimeout(() => void stopProcess(started, 1000), (spec.durationS + 15) * 1000);
  const code = await started.exited;
  clearTimeout(guard);
  const text = readFileSync(logFile, 'utf8');
  if (code !== '0') throw new Error(`wrk failed (${code}):\n${text}`);
  return parseWrk(text);
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function latencyMs(text: string, percentile: string): number {
  const match = new RegExp(`^\\s*${percentile}%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm').exec(text);
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : Number.NaN;
}

/** Reads the figures out of wrk's text report. */
export function parseWrk(text: string): LoadResult {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(text);
  if (!rps) throw new Error(`unexpected wrk output:\n${text}`);
  const requests = /^\s*(\d+) requests in /m.exec(text);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(text);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  return {
    rps: Number(rps[1]),
    p50Ms: latencyMs(text, '50'),
    p99Ms: latencyMs(text, '99'),
    requests: requests ? Number(requests[1]) : 0,
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}
