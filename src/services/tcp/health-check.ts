import type { TcpService } from '../../config/dynamic/index.js';
import type { Logger } from '../../core/logger.js';
import { dialTcp, splitHostPort, type TcpDialOptions } from '../../proxy/tcp/dial.js';
import { runCheckLoop } from '../healthcheck/active.js';
import type { ServerHealth } from '../healthcheck/server-health.js';

type TcpHealthCheck = NonNullable<NonNullable<TcpService['loadBalancer']>['healthCheck']>;

/**
 * One TCP health check as Traefik's: connect (to `port` when set), write `send`, read as many bytes as
 * `expect` has and compare; all within `timeout`. Any failure marks the server DOWN.
 */
export function probeTcp(
  address: string,
  useTls: boolean,
  cfg: TcpHealthCheck,
  dial: TcpDialOptions,
  signal: AbortSignal,
): Promise<boolean> {
  let target = address;
  if (cfg.port) {
    const { host } = splitHostPort(address);
    target = host.includes(':') ? `[${host}]:${cfg.port}` : `${host}:${cfg.port}`;
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = (ok: boolean) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(ok);
    };
    const onAbort = () => finish(false);
    signal.addEventListener('abort', onAbort, { once: true });
    let socket = dialTcp(target, useTls, { ...dial, dialTimeoutMs: 0 }, (err, connected) => {
      if (err) return finish(false);
      socket = connected;
      if (cfg.send) socket.write(cfg.send);
      const expect = cfg.expect ? Buffer.from(cfg.expect) : undefined;
      if (!expect) return finish(true);
      let got = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        got = Buffer.concat([got, chunk]);
        if (got.length >= expect.length) finish(got.subarray(0, expect.length).equals(expect));
      });
      socket.on('end', () => finish(false));
      socket.on('error', () => finish(false));
    });
  });
}

/** Starts the check loop of one TCP server for the life of the generation. */
export function startTcpHealthCheck(
  state: ServerHealth,
  address: string,
  useTls: boolean,
  cfg: TcpHealthCheck,
  dial: TcpDialOptions,
  signal: AbortSignal,
  logger: Logger,
): void {
  const intervalMs = cfg.interval && cfg.interval > 0 ? cfg.interval : 30_000;
  const timing = {
    intervalMs,
    unhealthyIntervalMs:
      cfg.unhealthyInterval && cfg.unhealthyInterval > 0 ? cfg.unhealthyInterval : intervalMs,
    timeoutMs: cfg.timeout && cfg.timeout > 0 ? cfg.timeout : 5_000,
  };
  runCheckLoop(
    state,
    (s) => probeTcp(address, useTls, cfg, dial, s),
    `tcp://${address}`,
    timing,
    signal,
    logger,
  );
}
