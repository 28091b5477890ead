import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';

export const SCENARIOS = [
  'small-get',
  'many-hosts',
  'reload',
  'reload-workers',
  'workers',
  'access-log',
  'middlewares',
  'idle-rss',
  'many-hosts-reload',
] as const;
export const PROXIES = ['switchyard', 'nginx', 'haproxy', 'caddy', 'http-proxy'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
export type ProxyName = (typeof PROXIES)[number];

export interface BenchOptions {
  scenarios: ScenarioName[];
  proxies: ProxyName[];
  durationS: number;
  warmupS: number;
  connections: number;
  threads: number;
  runs: number;
  hosts: number;
  /** Worker processes in the `reload-workers` and `workers` scenarios (nginx: `worker_processes`). */
  workers: number;
  backend: 'nginx' | 'whoami';
  /** Core for the proxy under test; the other for wrk and the backend (undefined: no pinning). */
  proxyCpu: number | undefined;
  loadCpu: number | undefined;
  keepTmp: boolean;
  quick: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

  --scenario LIST     ${SCENARIOS.join(',')} (default: all)
  --proxies LIST      ${PROXIES.join(',')} (default: all)
  --duration S        seconds of load per run (default 10; --quick: 3)
  --warmup S          seconds of unmeasured load before the runs (default 2; --quick: 1)
  --connections N     wrk connections (default 64)
  --threads N         wrk threads (default 1: wrk shares one core with the backend)
  --runs N            measured runs per proxy; figures are the median (default 1)
  --hosts N           host routers in many-hosts (default 10000)
  --workers N         worker processes in reload-workers and workers (default 2)
  --backend KIND      nginx (return 200, default) or whoami (Switchyard's own, /bench)
  --proxy-cpu N       core for the proxy (default 0)
  --load-cpu N        core for wrk and the backend (default 1)
  --no-pin            do not pin anything
  --quick             short smoke run
  --keep-tmp          keep the generated configs and logs
  --help`;

function positive(name: string, text: string | undefined, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min}`);
  return value;
}

function list<T extends string>(name: string, text: string | undefined, allowed: readonly T[]): T[] {
  if (text === undefined) return [...allowed];
  const picked = text.split(',').map((s) => s.trim()) as T[];
  const unknown = picked.filter((p) => !allowed.includes(p));
  if (unknown.length > 0)
    throw new Error(`--${name}: unknown ${unknown.join(', ')} (known: ${allowed.join(', ')})`);
  return picked;
}

/** Parses the command line; returns undefined when only help was asked for. */
export function parseOptions(argv: string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string' },
      proxies: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      threads: { type: 'string' },
      runs: { type: 'string' },
      hosts: { type: 'string' },
      workers: { type: 'string' },
      backend: { type: 'string' },
      'proxy-cpu': { type: 'string' },
      'load-cpu': { type: 'string' },
      'no-pin': { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      'keep-tmp': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const quick = values.quick ?? false;
  const backend = values.backend ?? 'nginx';
  if (backend !== 'nginx' && backend !== 'whoami') throw new Error('--backend must be nginx or whoami');
  const pin = !values['no-pin'];
  const cores = availableParallelism();
  const proxyCpu = positive('proxy-cpu', values['proxy-cpu'], 0, 0);
  const loadCpu = positive('load-cpu', values['load-cpu'], Math.min(1, cores - 1), 0);
  if (pin && Math.max(proxyCpu, loadCpu) >= cores)
    throw new Error(`only ${cores} cores: cannot pin on that core`);
  return {
    scenarios: list('scenario', values.scenario, SCENARIOS),
    proxies: list('proxies', values.proxies, PROXIES),
    durationS: positive('duration', values.duration, quick ? 3 : 10),
    warmupS: positive('warmup', values.warmup, quick ? 1 : 2, 0),
    connections: positive('connections', values.connections, 64),
    threads: positive('threads', values.threads, 1),
    runs: positive('runs', values.runs, 1),
    hosts: positive('hosts', values.hosts, 10_000),
    workers: positive('workers', values.workers, 2),
    backend,
    proxyCpu: pin ? proxyCpu : undefined,
    loadCpu: pin ? loadCpu : undefined,
    keepTmp: values['keep-tmp'] ?? false,
    quick,
  };
}
