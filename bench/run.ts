/**
 * The benchmark harness: Switchyard and its peers (nginx, HAProxy, Caddy, node-http-proxy) in front of the
 * same backend, each proxy pinned on one core while wrk and the backend share the other. See README.md.
 *
 * Usage: npm run bench -- [--scenario small-get,many-hosts,reload] [--quick] [--runs 3] …  (--help)
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBackend } from './backend.js';
import { machineInfo } from './lib/machine.js';
import { freePort } from './lib/net.js';
import { type BenchOptions, parseOptions, USAGE } from './lib/options.js';
import { findExecutable, stopAll } from './lib/processes.js';
import { compareToOwn, type ScenarioResult, scenarioMarkdown, writeResults } from './lib/report.js';
import { runScenario } from './measure.js';
import { isReload, SCENARIO_LIST } from './scenarios.js';

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The folder holding package.json, above this file (bench/ from source, dist/bench/ compiled). */
function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root (package.json)');
    dir = up;
  }
  return dir;
}

/** Everything the selected run needs, checked before anything starts. */
function preflight(opts: BenchOptions, repoRoot: string): void {
  const needed = ['wrk'];
  if (opts.proxyCpu !== undefined) needed.push('taskset');
  if (opts.backend === 'nginx') needed.push('nginx');
  const missing = needed.filter((tool) => !findExecutable(tool));
  if (missing.length > 0) throw new Error(`missing tools: ${missing.join(', ')} (see bench/README.md)`);
  const wantsSwitchyard = opts.proxies.includes('switchyard');
  if (wantsSwitchyard && !existsSync(path.join(repoRoot, 'dist', 'src', 'cli', 'main.js'))) {
    throw new Error('Switchyard is not built (dist/src/cli/main.js is missing): run `npm run build` first');
  }
  if (opts.backend === 'whoami' && !existsSync(path.join(repoRoot, 'dist', 'src', 'cli', 'whoami.js'))) {
    throw new Error('--backend whoami needs dist/src/cli/whoami.js: run `npm run build` first');
  }
}

function setupLine(opts: BenchOptions, backendKind: string): string {
  const pin =
    opts.proxyCpu === undefined
      ? 'no pinning'
      : `proxy on core ${opts.proxyCpu}, wrk and backend on core ${opts.loadCpu}`;
  const runs = opts.runs === 1 ? '1 run' : `median of ${opts.runs} runs`;
  return `wrk -t${opts.threads} -c${opts.connections}, ${opts.durationS} s (${opts.warmupS} s warm-up), ${runs}; backend: ${backendKind}; ${pin}`;
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  if (!opts) {
    console.log(USAGE);
    return 0;
  }
  const repoRoot = findRepoRoot();
  preflight(opts, repoRoot);
  const startedAt = new Date();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-bench-'));
  let interrupted = false;
  const onSignal = (): void => {
    if (interrupted) return;
    interrupted = true;
    say('interrupted: stopping every process this run started');
    void stopAll()
      .then(() => (opts.keepTmp ? undefined : rm(dir, { recursive: true, force: true })))
      .finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const results: ScenarioResult[] = [];
  let failed = false;
  try {
    const backend = await startBackend(
      opts.backend,
      path.join(dir, 'backend'),
      await freePort(),
      opts.loadCpu,
    );
    say(`backend (${opts.backend}) on 127.0.0.1:${backend.port}; configs and logs in ${dir}`);
    const ctx = { opts, backend, dir, repoRoot, say };
    for (const scenario of SCENARIO_LIST.filter((s) => opts.scenarios.includes(s.name))) {
      results.push(await runScenario(scenario, ctx));
    }
  } catch (err) {
    failed = true;
    say(`\nBENCHMARK FAILED: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await stopAll();
    if (!opts.keepTmp) await rm(dir, { recursive: true, force: true });
  }
  for (const scenario of results) {
    const base = SCENARIO_LIST.find((s) => s.name === scenario.name)?.compareTo;
    if (base)
      compareToOwn(
        scenario,
        results.find((r) => r.name === base),
      );
  }
  const setup = setupLine(opts, opts.backend === 'nginx' ? 'nginx return 200' : 'whoami /bench');
  const machine = machineInfo();
  console.log(`## Switchyard benchmark, ${startedAt.toISOString()}\n`);
  console.log(
    `Machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.kernel}, Node ${machine.node}\n`,
  );
  for (const scenario of results) {
    const several = SCENARIO_LIST.find((s) => s.name === scenario.name)?.workers;
    const backendCore = opts.loadCpu === undefined ? '' : `, backend on core ${opts.loadCpu}`;
    const own = several
      ? `${setup.slice(0, setup.lastIndexOf(';'))}; ${opts.workers} workers each, proxy and wrk unpinned${backendCore}`
      : setup;
    console.log(scenarioMarkdown(scenario, own));
  }
  for (const scenario of results.filter((s) => isReload(s.name))) {
    const reload = scenario.proxies.find((p) => p.proxy === 'switchyard');
    const reloadErrors = reload?.runs.reduce((sum, r) => sum + r.non2xx + r.socketErrors, 0) ?? 0;
    if (reloadErrors > 0) {
      failed = true;
      say(
        `RELOAD ERRORS (${scenario.name}): ${reloadErrors} requests failed while the configuration was rewritten (must be 0)`,
      );
    }
    const stalled = reload?.runs.filter((r) => r.requests === 0).length ?? 0;
    if (stalled > 0) {
      failed = true;
      say(
        `RELOAD STALLED (${scenario.name}): ${stalled} run(s) served no request at all while the configuration was rewritten`,
      );
    }
    if (reload?.extra && reload.extra.probeRouterAppliedAfterMs === undefined) {
      failed = true;
      say(
        `RELOAD NOT APPLIED (${scenario.name}): a router added to the dynamic file never started answering`,
      );
    }
  }
  const file = await writeResults(repoRoot, startedAt, { startedAt, options: opts, setup, machine, results });
  say(`results written to ${path.relative(process.cwd(), file)}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    say(`bench: ${err instanceof Error ? err.message : String(err)}`);
    void stopAll().finally(() => process.exit(1));
  },
);
