/**
 * A real HAProxy (the Debian package) for tests: started in the foreground with a generated
 * configuration on free 127.0.0.1 ports, stopped by its PID.
 *
 * @example
 *   const hap = await startHaproxy((port) => `
 *     frontend fe
 *       bind 127.0.0.1:${port}
 *       default_backend be
 *     backend be
 *       server s 127.0.0.1:${target} send-proxy-v2`);
 *   // … connect to hap.port …
 *   await hap.stop();
 */
import { execFileSync } from 'node:child_process';
import { tempDir, writeFile } from './cli.js';
import { freePort } from './free-port.js';
import { launchOnFreePorts, type ServerProcess, spawnServer, waitForPort } from './server-process.js';

export interface Haproxy {
  /** The port the first `bind` listens on. */
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/** The HAProxy binary, or undefined when it is not installed (the caller reports why it cannot run). */
export function haproxyBinary(): string | undefined {
  try {
    execFileSync('haproxy', ['-v'], { stdio: 'ignore' });
    return 'haproxy';
  } catch {
    return undefined;
  }
}

const GLOBAL = `global
  nbthread 1
defaults
  mode tcp
  timeout connect 5s
  timeout client 30s
  timeout server 30s
`;

/**
 * Starts `haproxy -db` with `sections(port)` after a global/defaults preamble (`mode tcp`, 5 s connect,
 * 30 s client/server timeouts). `port` is a free port for the frontend's `bind`; the helper waits until
 * it accepts connections and tries again on other ports when another process took it first.
 */
export function startHaproxy(sections: (port: number) => string): Promise<Haproxy> {
  return launchOnFreePorts(async () => {
    const port = await freePort();
    const dir = tempDir('switchyard-haproxy-');
    const file = writeFile(dir, 'haproxy.cfg', `${GLOBAL}${sections(port)}\n`);
    const proc: ServerProcess = spawnServer('haproxy', ['-db', '-f', file]);
    try {
      await waitForPort(port, proc, 15_000);
    } catch (err) {
      await proc.stop();
      throw err;
    }
    return { port, output: proc.output, stop: proc.stop };
  });
}
