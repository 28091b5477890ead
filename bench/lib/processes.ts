import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A process this harness started, with its output captured in `logFile`. */
export interface Started {
  name: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<string>;
}

// Every process started and not yet stopped, so an interrupted run can still stop them all by PID.
const live = new Set<Started>();

/** Whether `name` is an executable path or found on PATH. */
export function findExecutable(name: string): string | undefined {
  const candidates = name.includes('/')
    ? [name]
    : (process.env.PATH ?? '').split(':').map((dir) => path.join(dir, name));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {}
  }
  return undefined;
}

/**
 * Starts `command` pinned on `cpu` with taskset (which execs it, so the PID is the command's own), its
 * output going to `logFile`.
 */
export function startPinned(
  name: string,
  cpu: number | undefined,
  command: string,
  args: string[],
  opts: { logFile: string; env?: NodeJS.ProcessEnv },
): Started {
  const fd = openSync(opts.logFile, 'a');
  const argv = cpu === undefined ? [command, ...args] : ['taskset', '-c', String(cpu), command, ...args];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', fd, fd], env: opts.env ?? process.env });
  closeSync(fd);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? String(code)));
    child.once('error', (err) => resolve(`spawn failed: ${err.message}`));
  });
  if (child.pid === undefined) {
    return { name, pid: -1, child, logFile: opts.logFile, exited };
  }
  const started: Started = { name, pid: child.pid, child, logFile: opts.logFile, exited };
  live.add(started);
  exited.then(() => live.delete(started));
  return started;
}

/** The PIDs of every descendant of `pid`, children first. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift()!;
    let text = '';
    try {
      text = readFileSync(`/proc/${current}/task/${current}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of text.split(' ').filter(Boolean).map(Number)) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/** Resident memory of one process in KiB (`VmRSS`), 0 once it is gone. */
export function rssKiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Summed resident memory of a process (`tree`: with its descendants; `children`: only them). */
export function processRss(pid: number, mode: 'tree' | 'children'): number {
  const pids = mode === 'tree' ? [pid, ...descendants(pid)] : descendants(pid);
  return pids.reduce((sum, p) => sum + rssKiB(p), 0);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Stops a started process by its PID: SIGTERM, then SIGKILL after `graceMs`. Descendants it leaves behind
 * (workers whose parent was killed) are killed by their PIDs too.
 */
export async function stopProcess(started: Started, graceMs = 5000): Promise<void> {
  if (started.pid < 0 || started.child.exitCode !== null || started.child.signalCode !== null) return;
  const family = descendants(started.pid);
  const gone = (): Promise<'gone'> => started.exited.then(() => 'gone' as const);
  try {
    process.kill(started.pid, 'SIGTERM');
  } catch {}
  if ((await Promise.race([gone(), delay(graceMs)])) !== 'gone') {
    try {
      process.kill(started.pid, 'SIGKILL');
    } catch {}
    await Promise.race([gone(), delay(2000)]);
  }
  // Give orphaned workers a moment to notice their parent left before killing what remains.
  if (family.some((pid) => existsSync(`/proc/${pid}`))) await delay(300);
  for (const pid of family) {
    if (!existsSync(`/proc/${pid}`)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  live.delete(started);
}

/** Stops every process still running, newest first (load before proxies before the backend). */
export async function stopAll(): Promise<void> {
  for (const started of [...live].reverse()) await stopProcess(started, 2000);
}

/** The last lines of a process's log, to explain why it failed. */
export function logTail(started: Started, lines = 15): string {
  try {
    return readFileSync(started.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}
