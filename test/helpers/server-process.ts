import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A server process a test owns: started by the test, stopped by PID. */
export interface ServerProcess {
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `cmd args`, collecting its output; `stop` sends SIGTERM to its PID, then SIGKILL after 5 s. */
export function spawnServer(cmd: string, args: string[], cwd?: string): ServerProcess {
  const proc = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (c) => {
    out += c;
  });
  proc.stderr!.on('data', (c) => {
    out += c;
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      process.kill(proc.pid!, 'SIGTERM');
      const timer = setTimeout(() => {
        if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid!, 'SIGKILL');
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until `127.0.0.1:port` accepts connections (bounded: fails after `limitMs`). */
export async function waitForPort(port: number, server: ServerProcess, limitMs = 30_000): Promise<void> {
  const until = Date.now() + limitMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (server.proc.exitCode !== null) throw new Error(`server exited:\n${server.output()}`);
    if (Date.now() > until) throw new Error(`port ${port} not open in time:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Runs `launch` (which picks its free ports afresh each time) again when the server lost a port to
 * another process: a port found free is only free until someone else binds it, and test files run in
 * parallel.
 */
export async function launchOnFreePorts<T>(launch: () => Promise<T>, tries = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch();
    } catch (err) {
      const clash = /address already in use|BindException|EADDRINUSE/i.test(String(err));
      if (!clash || attempt >= tries) throw err;
    }
  }
}

/** A server in its own temporary directory that a test can stop and start again with the same data. */
export interface RestartableServer {
  /** `127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  /** Stops the process (by PID), keeping the data. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and removes the data. */
  destroy(): Promise<void>;
  /** The running server's PID (to freeze it with SIGSTOP, thaw it with SIGCONT). */
  pid(): number | undefined;
}

/**
 * Starts a server in a fresh temporary directory `prefix…`: `setup(dir)` picks its free ports and says
 * how to run it (`spawn` the process; `ready` resolves once it serves, default: once `port` accepts
 * connections). The whole launch is tried again, in a new directory, when the server lost a port to
 * another process (`launchOnFreePorts`).
 */
export function startRestartable(
  prefix: string,
  setup: (dir: string) => Promise<{
    port: number;
    spawn(): ServerProcess;
    ready?(server: ServerProcess): Promise<void>;
  }>,
): Promise<RestartableServer> {
  return launchOnFreePorts(async () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    let server: ServerProcess | undefined;
    try {
      const { port, spawn, ready = (s: ServerProcess) => waitForPort(port, s) } = await setup(dir);
      const start = async () => {
        server = spawn();
        await ready(server);
      };
      await start();
      return {
        endpoint: `127.0.0.1:${port}`,
        port,
        pid: () => server?.proc.pid,
        start,
        stop: async () => {
          await server?.stop();
        },
        destroy: async () => {
          await server?.stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  });
}
