import { probe } from './lib/net.js';
import { type BenchRouter, scenarioRouters, writeSwitchyardDynamic } from './peers/switchyard.js';

export interface Reloader {
  /** Stops rewriting; resolves with how many rewrites were made and how many failed to be written. */
  stop(): Promise<{ rewrites: number; writeErrors: number }>;
}

function extraRouter(n: number): BenchRouter {
  return { name: `extra${n}`, rule: `Host(\`extra${n}.example.test\`)` };
}

/**
 * Rewrites the dynamic file once a second, alternately adding and removing a router, at most
 * `maxRewrites` times (the load's duration bounds it too, as the caller stops it).
 */
export function startReloading(file: string, backendUrl: string, maxRewrites: number): Reloader {
  const base = scenarioRouters(0);
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
  }, 1000);
  return {
    async stop() {
      clearInterval(timer);
      await writing;
      return { rewrites, writeErrors };
    },
  };
}

/**
 * Proves rewrites are applied: replaces the catch-all by a single `probe` host router and waits (at most
 * `timeoutMs`) until that host answers 2xx while any other host gets 404. Resolves with the milliseconds
 * it took, or undefined if the change never showed.
 */
export async function timeToApply(
  file: string,
  backendUrl: string,
  port: number,
  urlPath: string,
  timeoutMs = 15_000,
): Promise<number | undefined> {
  const host = 'probe.example.test';
  const start = Date.now();
  await writeSwitchyardDynamic(file, backendUrl, [{ name: 'probe', rule: `Host(\`${host}\`)` }]);
  while (Date.now() - start < timeoutMs) {
    const [own, other] = await Promise.all([probe(port, urlPath, host), probe(port, urlPath)]);
    if (own >= 200 && own < 300 && other === 404) return Date.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}
