import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';

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
