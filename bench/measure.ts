import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Backend } from './backend.js';
import { type CpuSample, cpuBetween, sampleTree } from './lib/cpu.js';
import { freePort, waitReady } from './lib/net.js';
import type { BenchOptions, ProxyName } from './lib/options.js';
import { findExecutable, processRss, startPinned, stopProcess } from './lib/processes.js';
import { medianOf, type ProxyResult, type ScenarioResult } from './lib/report.js';
import { type LoadResult, runWrk } from './lib/wrk.js';
import { caddyPeer } from './peers/caddy.js';
import { haproxyPeer } from './peers/haproxy.js';
import { httpProxyPeer } from './peers/http-proxy.js';
import { nginxPeer } from './peers/nginx.js';
import type { Launch, ProxyPeer } from './peers/peer.js';
import { switchyardPeer } from './peers/switchyard.js';
import { startReloading, timeToApply } from './reload.js';
import type { Scenario } from './scenarios.js';

const PEERS: Record<ProxyName, ProxyPeer> = {
  switchyard: switchyardPeer,
  nginx: nginxPeer,
  haproxy: haproxyPeer,
  caddy: caddyPeer,
  'http-proxy': httpProxyPeer,
};

export interface RunContext {
  opts: BenchOptions;
  backend: Backend;
  dir: string;
  repoRoot: string;
  /** Progress lines (stderr), kept apart from the report on stdout. */
  say(line: string): void;
}

/** Starts one proxy for one scenario, loads it, and stops it by PID whatever happens. */
async function measureProxy(peer: ProxyPeer, scenario: Scenario, run: RunContext): Promise<ProxyResult> {
  const { opts, backend } = run;
  const dir = path.join(run.dir, scenario.name, peer.name);
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const backendUrl = `http://${backend.host}:${backend.port}`;
  const launch = await peer.prepare({
    dir,
    port,
    backend: { host: backend.host, port: backend.port },
    hosts: scenario.hosts(opts),
    poolSize: Math.max(64, opts.connections),
    workers: scenario.workers ? opts.workers : 1,
    ...(scenario.variant && { variant: scenario.variant }),
    repoRoot: run.repoRoot,
  });
  // Several workers: nothing is pinned, so the proxy's processes may use every core (as the load does).
  const pin = (cpu: number | undefined) => (scenario.workers ? undefined : cpu);
  const started = startPinned(peer.name, pin(opts.proxyCpu), launch.command, launch.args, {
    logFile: path.join(dir, 'output.log'),
    env: launch.env,
  });
  try {
    const host = scenario.hostHeader(opts);
    const urlPath = `${scenario.pathPrefix ?? ''}${backend.urlPath}`;
    await waitReady(started, port, urlPath, host, 60_000);
    if (scenario.idle) return await idleResult(peer.name, started.pid, launch.rss);
    const load = {
      port,
      urlPath,
      host,
      connections: opts.connections,
      threads: opts.threads,
    };
    const wrkDir = path.join(dir, 'load');
    await mkdir(wrkDir, { recursive: true });
    const base = { ...load, cpu: pin(opts.loadCpu), dir: wrkDir };
    if (opts.warmupS > 0) await runWrk({ ...base, durationS: opts.warmupS });
    const runs: LoadResult[] = [];
    const cpu: Record<string, number | string>[] = [];
    let rewrites = 0;
    let writeErrors = 0;
    for (let i = 0; i < opts.runs; i++) {
      const reloader =
        scenario.reload && launch.dynamicFile
          ? startReloading(launch.dynamicFile, backendUrl, opts.durationS + 1, scenario.hosts(opts))
          : undefined;
      const before: CpuSample | undefined = scenario.workers ? sampleTree(started.pid) : undefined;
      try {
        const measured = await runWrk({ ...base, durationS: opts.durationS });
        runs.push(measured);
        if (before) cpu.push(cpuBetween(before, sampleTree(started.pid), measured.requests));
      } finally {
        const counts = await reloader?.stop();
        rewrites += counts?.rewrites ?? 0;
        writeErrors += counts?.writeErrors ?? 0;
      }
    }
    const rssKiB = processRss(started.pid, launch.rss);
    const result: ProxyResult = { proxy: peer.name, status: 'ok', runs, median: medianOf(runs), rssKiB };
    // The CPU time of the last run: per worker, and the main process's (the primary, nginx's master).
    if (cpu.length > 0) result.extra = { ...cpu.at(-1) };
    if (scenario.reload && launch.dynamicFile) {
      const hosts = scenario.hosts(opts);
      const applyMs = await timeToApply(launch.dynamicFile, backendUrl, port, backend.urlPath, hosts);
      result.extra = { ...result.extra, rewrites, writeErrors, probeRouterAppliedAfterMs: applyMs };
    }
    return result;
  } finally {
    await stopProcess(started);
  }
}

/** How long an idle proxy is left alone before its memory is read. */
const IDLE_SETTLE_MS = 5_000;

/** The memory of a started proxy that has answered once and then served nothing for a few seconds. */
async function idleResult(proxy: string, pid: number, rss: Launch['rss']): Promise<ProxyResult> {
  await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
  const rssKiB = processRss(pid, rss);
  return {
    proxy,
    status: 'ok',
    runs: [],
    rssKiB,
    extra: { idleRssMiB: rssKiB && Number((rssKiB / 1024).toFixed(1)) },
  };
}

/** Runs one scenario over the selected proxies. Switchyard failing is fatal; a peer failing is reported. */
export async function runScenario(scenario: Scenario, run: RunContext): Promise<ScenarioResult> {
  const result: ScenarioResult = { name: scenario.name, title: scenario.title, proxies: [] };
  const host = scenario.hostHeader(run.opts);
  if (host) result.hostHeader = host;
  const names = run.opts.proxies.filter((p) =>
    scenario.switchyardOnly ? p === 'switchyard' : (scenario.peers?.includes(p) ?? true),
  );
  if (names.length === 0) {
    result.skipped = 'this scenario measures Switchyard only, and it is not selected';
    run.say(`[${scenario.name}] skipped: ${result.skipped}`);
    return result;
  }
  for (const name of names) {
    const peer = PEERS[name];
    const skip = (status: 'skipped' | 'failed', reason: string): void => {
      run.say(`[${scenario.name}] ${name}: ${status.toUpperCase()}: ${reason}`);
      result.proxies.push({ proxy: name, status, reason, runs: [] });
    };
    if (!findExecutable(peer.executable)) {
      skip('skipped', `${peer.executable} not found on PATH`);
      continue;
    }
    run.say(`[${scenario.name}] ${name}: starting`);
    try {
      const measured = await measureProxy(peer, scenario, run);
      const m = measured.median;
      run.say(
        m
          ? `[${scenario.name}] ${name}: ${Math.round(m.rps)} req/s, p99 ${m.p99Ms} ms, errors ${m.non2xx + m.socketErrors}`
          : `[${scenario.name}] ${name}: RSS ${Math.round((measured.rssKiB ?? 0) / 1024)} MiB`,
      );
      result.proxies.push(measured);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      // Switchyard is what is being measured: never let it drop out of the figures quietly.
      if (name === 'switchyard')
        throw new Error(`Switchyard failed in ${scenario.name}: ${reason}`, { cause: err });
      skip('failed', reason);
    }
  }
  return result;
}
