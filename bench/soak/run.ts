/**
 * The soak: Switchyard under mixed traffic with reloads for a long time (30 minutes by default), its RSS
 * sampled every minute, and the slope of RSS over time reported (target: under 1 MiB/min after warm-up).
 * Not part of CI.
 *
 *   npm run bench:soak -- [--minutes=30] [--sample-seconds=60] [--clients=16] [--reload-seconds=10]
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWhoami } from '../../src/cli/whoami.js';
import { freePort, waitReady } from '../lib/net.js';
import { rssKiB, startPinned, stopProcess } from '../lib/processes.js';
import { scenarioRouters, writeSwitchyardDynamic } from '../peers/switchyard.js';
import { startReloading } from '../reload.js';
import { type Mix, mixedRequest } from './traffic.js';

const BIN = fileURLToPath(new URL('../../../bin/switchyard.js', import.meta.url));

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.slice(name.length + 3)) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/** Least-squares slope of `ys` over `xs`. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function main(): Promise<void> {
  const minutes = option('minutes', 30);
  const sampleMs = option('sample-seconds', 60) * 1000;
  const clients = option('clients', 16);
  const reloadMs = option('reload-seconds', 10) * 1000;
  const work = mkdtempSync(path.join(tmpdir(), 'switchyard-soak-'));
  const dynDir = path.join(work, 'dynamic');
  mkdirSync(dynDir);
  const file = path.join(dynDir, 'dynamic.yml');

  const backend = await startWhoami({ name: 'soak' });
  const backendUrl = `http://127.0.0.1:${backend.port}`;
  await writeSwitchyardDynamic(file, backendUrl, scenarioRouters(0));
  const port = await freePort();
  const proxy = startPinned(
    'switchyard',
    undefined,
    process.execPath,
    [
      BIN,
      `--entryPoints.web.address=127.0.0.1:${port}`,
      `--providers.file.directory=${dynDir}`,
      '--workers=1',
    ],
    { logFile: path.join(work, 'switchyard.log') },
  );
  await waitReady(proxy, port, '/', undefined, 30_000);

  const endAt = Date.now() + minutes * 60_000;
  const reloader = startReloading(
    file,
    backendUrl,
    Math.ceil((minutes * 60_000) / reloadMs) + 1,
    0,
    reloadMs,
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const mix: Mix = { ok: 0, failed: 0, byKind: {} };
  const loops = Array.from({ length: clients }, async (_, i) => {
    for (let n = 0; Date.now() < endAt; n++) await mixedRequest(port, agent, i + n, mix);
  });

  const start = Date.now();
  const samples: { minute: number; rssMiB: number }[] = [];
  const sample = () => {
    const s = { minute: (Date.now() - start) / 60_000, rssMiB: rssKiB(proxy.pid) / 1024 };
    samples.push(s);
    console.log(
      `${s.minute.toFixed(1)} min  RSS ${s.rssMiB.toFixed(1)} MiB  requests ${mix.ok} ok, ${mix.failed} failed`,
    );
  };
  sample();
  const timer = setInterval(sample, sampleMs);
  await Promise.all(loops);
  clearInterval(timer);
  sample();
  const { rewrites } = await reloader.stop();
  agent.destroy();
  await stopProcess(proxy);
  await backend.close();

  // The first sample is before warm-up (JIT, pools, buffers): the slope is taken from the second on.
  const steady = samples.slice(1);
  const perMinute =
    steady.length >= 2
      ? slope(
          steady.map((s) => s.minute),
          steady.map((s) => s.rssMiB),
        )
      : NaN;
  console.log(
    JSON.stringify(
      {
        minutes,
        clients,
        reloads: rewrites,
        requests: { ok: mix.ok, failed: mix.failed, byKind: mix.byKind },
        rssMiB: { first: samples[0]?.rssMiB, last: samples.at(-1)?.rssMiB },
        slopeMiBPerMinute: Number(perMinute.toFixed(3)),
        target: '< 1 MiB/min',
      },
      null,
      2,
    ),
  );
  if (mix.failed > 0 || !(perMinute < 1)) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
