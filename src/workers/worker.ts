import diagnostics from 'node:diagnostics_channel';
import { failureMessage, reportFatal } from '../cli/fatal-report.js';
import { Instance } from '../cli/instance.js';
import type { StaticConfig } from '../config/static/index.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { setSharedLimits } from '../core/shared-limits.js';
import type { Extensions } from '../extensions.js';
import {
  applyPeerBench,
  applyPrimaryHealth,
  followPrimaryHealth,
  SERVER_HEALTH_CHANNEL,
  type ServerHealthEvent,
} from '../services/healthcheck/server-health.js';
import { type ConfigSnapshot, isToWorker, type ToPrimary, type ToWorker } from './messages.js';
import { RemoteAcme } from './remote-acme.js';

/**
 * A worker process: serves the TCP entrypoints with the generations the primary sends, asks the primary
 * for instance-wide limits, follows its health checks, drains and exits when told to (or when the
 * primary is gone).
 */
export async function runWorker(
  config: StaticConfig,
  logger: Logger,
  extensions?: Extensions,
): Promise<void> {
  const send = (m: ToPrimary) => {
    if (process.connected) process.send?.(m);
  };
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const ask = (build: (id: number) => ToPrimary) =>
    new Promise<unknown>((resolve, reject) => {
      if (!process.connected) {
        reject(new Error('the primary process is gone'));
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve, reject });
      send(build(id));
    });
  setSharedLimits({
    take: (bucket, p, key) =>
      ask((id) => ({ sy: 'take', id, bucket, ...p, key })) as Promise<{ allowed: boolean; waitMs: number }>,
    acquire: (counter, amount, key) =>
      ask((id) => ({ sy: 'acquire', id, counter, amount, key })) as Promise<boolean>,
    release: (counter, key) => send({ sy: 'release', counter, key }),
  });
  followPrimaryHealth();
  // A server this worker benches on its own failures is benched by every worker (through the primary).
  diagnostics.subscribe(SERVER_HEALTH_CHANNEL, (m) => {
    const e = m as ServerHealthEvent;
    if (e.reason === 'passive' && !e.up && !e.relayed && e.until)
      send({ sy: 'bench', service: e.service, url: e.server, until: e.until });
  });
  const acme = new RemoteAcme(
    config.certificatesResolvers,
    (token) => ask((id) => ({ sy: 'acme-http', id, token })) as Promise<string | undefined>,
  );

  let instance: Instance | undefined;
  let first: ((s: ConfigSnapshot) => void) | undefined;
  const initial = new Promise<ConfigSnapshot>((resolve) => {
    first = resolve;
  });
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.debug('worker draining', { reason: why });
    const done = instance ? instance.shutdown() : Promise.resolve();
    done.then(
      () => process.exit(0),
      (err) => {
        logger.error('worker shutdown failed', { error: errorMessage(err) });
        process.exit(1);
      },
    );
  };
  process.on('message', (m: unknown) => {
    if (!isToWorker(m)) return;
    const msg = m as ToWorker;
    switch (msg.sy) {
      case 'config':
        for (const [service, url, up] of msg.snapshot.health) applyPrimaryHealth(service, url, up);
        if (!instance) {
          first?.(msg.snapshot);
          break;
        }
        instance.applySnapshot(msg.snapshot);
        send({ sy: 'applied', number: msg.snapshot.number });
        break;
      case 'health':
        applyPrimaryHealth(msg.service, msg.url, msg.up);
        break;
      case 'bench':
        applyPeerBench(msg.service, msg.url, msg.until);
        break;
      case 'reply': {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error !== undefined) p?.reject(new Error(msg.error));
        else p?.resolve(msg.value);
        break;
      }
      case 'collect':
        send({ sy: 'collected', id: msg.id, value: instance?.collect(msg.what) });
        break;
      case 'alpn':
        acme.setAlpn(msg.name, msg.answer);
        break;
      case 'reopen':
        void instance?.accessLog?.reopen();
        break;
      case 'shutdown':
        stop('asked by the primary');
        break;
    }
  });
  // The primary is gone (killed): finish what is running, then exit.
  process.on('disconnect', () => {
    for (const p of pending.values()) p.reject(new Error('the primary process is gone'));
    pending.clear();
    stop('primary gone');
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  send({ sy: 'hello' });
  try {
    // Listening only with the newest generation: a new or replacement worker never serves an empty one.
    const snapshot = await initial;
    instance = await Instance.start(config, logger, {
      role: {
        kind: 'worker',
        gather: (what) => ask((id) => ({ sy: 'gather', id, what })) as Promise<unknown[]>,
        acme,
        initial: snapshot,
      },
      extensions,
    });
    send({ sy: 'applied', number: snapshot.number });
  } catch (err) {
    // The same words as a single process (which port, and why), once per worker; JSON when asked.
    if (config.log.format === 'json') reportFatal('json', 'cannot start', [failureMessage(err)]);
    else process.stderr.write(`switchyard: ${failureMessage(err)}\n`);
    process.exit(1);
  }
  const entryPoints: Record<string, string> = {};
  for (const [name, a] of instance.addresses) entryPoints[name] = `${a.address}:${a.port}`;
  send({ sy: 'listening', entryPoints });
}
