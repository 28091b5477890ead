import type { AddressInfo } from 'node:net';
import type { InstanceExtras } from './instance.js';

/** What Switchyard tells a parent process that started it with an IPC channel. */
export type ParentMessage =
  /** Every entrypoint listens; `entryPoints` maps each name to its bound `host:port`. */
  | { type: 'switchyard:listening'; entryPoints: Record<string, string> }
  /** A configuration generation was swapped in (1 is the empty one before the providers answer). */
  | { type: 'switchyard:applied'; generation: number };

export interface ParentChannel {
  extras: InstanceExtras;
  listening(addresses: ReadonlyMap<string, AddressInfo>): void;
}

/**
 * Readiness for a parent process (`child_process.fork`, or `spawn` with an `'ipc'` stdio entry): the
 * quick start waits on these messages before it says where Switchyard answers. Undefined without a
 * channel. The channel never keeps the process alive, and a parent that has gone is not an error.
 *
 * @example
 *   const child = fork('bin/switchyard.js', ['--configFile=x.yml']);
 *   child.on('message', (m) => m.type === 'switchyard:listening' && report(m.entryPoints));
 */
export function parentChannel(proc: NodeJS.Process = process): ParentChannel | undefined {
  if (!proc.send) return undefined;
  proc.channel?.unref();
  const send = (message: ParentMessage) => {
    if (proc.connected) proc.send?.(message, undefined, undefined, () => {});
  };
  return {
    extras: { onApplied: (generation) => send({ type: 'switchyard:applied', generation }) },
    listening(addresses) {
      const entryPoints: Record<string, string> = {};
      for (const [name, a] of addresses)
        entryPoints[name] = a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
      send({ type: 'switchyard:listening', entryPoints });
    },
  };
}
