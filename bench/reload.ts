import { probe } from './lib/net.js';
import { hostName } from './peers/peer.js';
import { type BenchRouter, scenarioRouters, writeSwitchyardDynamic } from './peers/switchyard.js';

export interface Reloader {
  /** Stops rewriting; resolves with how many rewrites were made and how many failed to be written. */
  stop(): Promise<{ rewrites: number; writeErrors: number }>;
}

function extraRouter(n: number): BenchRouter {
  return { name: `extra${n}`, rule: `Host(\`extra${n}.example.test\`)` };
}

/**
 * Rewrites the dynamic file every `intervalMs` (default once a second), alternately adding and removing a router, at most
 * `maxRewrites` times (the load's duration bounds it too, as the caller stops it). The file holds the
 * scenario's routers (`hosts` host routers, or the catch-all) each time, so every rewrite is a whole
 * configuration to read and apply.
 */
export function startReloading(
  file: string,
  backendUrl: string,
  maxRewrites: number,
  hosts = 0,
  intervalMs = 1000,
): Reloader {
  const base = scenarioRouters(hosts);
  let rewrites = 0;
  let writeErrors = 0;
  let writing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    if (rewrites >= maxRewrites) return;
    rewrites++;
    const routers = rewrites % 2 === 1 ? [...base, extraRouter(rewrites)] : base;
    writing = writeSwitchyardDynamic(file, backendUrl, routers).catch(() => {
      writeErrors++;
    });
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await writing;
      return { rewrites, writeErrors };
    },
  };
}

/**
 * Proves rewrites are applied. Without host routers: replaces the catch-all by a single `probe` host
 * router and waits (at most `timeoutMs`) until that host answers 2xx while any other host gets 404. With
 * `hosts` host routers: writes them again plus the `probe` router (a 10,000-router change) and waits
 * until the probe host answers 2xx while the first host still does. Resolves with the milliseconds it
 * took (from the start of the write), or undefined if the change never showed.
 */
export async function timeToApply(
  file: string,
  backendUrl: string,
  port: number,
  urlPath: string,
  hosts = 0,
  timeoutMs = 15_000,
): Promise<number | undefined> {
  const host = 'probe.example.test';
  const start = Date.now();
  const probeRouter = { name: 'probe', rule: `Host(\`${host}\`)` };
  await writeSwitchyardDynamic(file, backendUrl, [...(hosts > 0 ? scenarioRouters(hosts) : []), probeRouter]);
  const ok = (status: number) => status >= 200 && status < 300;
  while (Date.now() - start < timeoutMs) {
    const [own, other] = await Promise.all([
      probe(port, urlPath, host),
      probe(port, urlPath, hosts > 0 ? hostName(0) : undefined),
    ]);
    if (ok(own) && (hosts > 0 ? ok(other) : other === 404)) return Date.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}
