import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (works from src and from dist/test). */
export const REPO_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!dir.endsWith('/test') && dir !== '/') dir = dirname(dir);
  return dirname(dir).endsWith('/dist') ? dirname(dirname(dir)) : dirname(dir);
})();

export const BIN = join(REPO_ROOT, 'bin', 'switchyard.js');

export interface Running {
  proc: ChildProcess;
  /** Bound port per entrypoint name, read from the INFO log. */
  ports: Map<string, number>;
  output(): string;
  /** Resolves when a log line matches; rejects after `ms` (a test guard, not a timing assertion). */
  waitFor(re: RegExp, ms?: number): Promise<string>;
  url(entryPoint: string, path?: string): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Static YAML for entrypoints `web` and `traefik` on 127.0.0.1, port 0 (start a file with it). */
export const WEB_AND_TRAEFIK_ON_PORT_0 = `entryPoints:
  web:
    address: "127.0.0.1:0"
  traefik:
    address: "127.0.0.1:0"
`;

/** A temp directory for one test's files. */
export function tempDir(prefix = 'switchyard-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The non-empty lines of a file (a log), none when it does not exist (yet). */
export function fileLines(path: string): string[] {
  return existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];
}

/** Writes `content` to `dir/name` and returns the path. */
export function writeFile(dir: string, name: string, content: string): string {
  const path = resolve(dir, name);
  writeFileSync(path, content);
  return path;
}

/**
 * Starts the real CLI (`bin/switchyard.js`) and waits until every entrypoint in `expectEntryPoints` is
 * listening. Entrypoints should use port 0 (`127.0.0.1:0`); the bound ports are read from the log.
 */
export async function startSwitchyard(
  args: string[],
  opts: {
    expectEntryPoints: string[];
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    command?: string[];
    /** Another copy of `bin/switchyard.js` (an unpacked npm tarball). */
    bin?: string;
    /** How long each expected entrypoint may take to listen (default 15 s). */
    startMs?: number;
    /** Runs node through this command, e.g. `['ip', 'netns', 'exec', ns]` (which execs, keeping the PID). */
    prefix?: string[];
  } = {
    expectEntryPoints: ['web'],
  },
): Promise<Running> {
  const bin = opts.bin ?? BIN;
  // One process unless the test asks for workers: most tests look at one process's behaviour (the
  // default, every core, is tested by the worker tests in test/integration/workers*.test.ts).
  const workers = opts.command || args.some((a) => a.startsWith('--workers')) ? [] : ['--workers=1'];
  const argv = [process.execPath, bin, ...(opts.command ?? []), '--log.level=INFO', ...workers, ...args];
  const [exe, ...rest] = [...(opts.prefix ?? []), ...argv] as [string, ...string[]];
  const proc = spawn(exe, rest, {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
  const ports = new Map<string, number>();
  let partial = '';
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    out += text;
    // Lines can arrive split across chunks: match whole lines only.
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const m = /entrypoint listening.*entryPoint=(\S+).*address=\S*:(\d+)/.exec(line);
      if (m) ports.set(m[1]!, Number(m[2]));
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i]!.re.test(line)) {
          waiters[i]!.resolve(line);
          waiters.splice(i, 1);
        }
      }
    }
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));

  const running: Running = {
    proc,
    ports,
    output: () => out,
    waitFor(re, ms = 15_000) {
      const hit = out.split('\n').find((l) => re.test(l));
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no log line ${re} within ${ms} ms:\n${out}`)), ms);
        waiters.push({
          re,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then((code) => reject(new Error(`switchyard exited (${code}) before ${re}:\n${out}`)));
      });
    },
    url(ep, path = '/') {
      const port = ports.get(ep);
      if (!port) throw new Error(`entrypoint ${ep} is not listening:\n${out}`);
      return `http://127.0.0.1:${port}${path}`;
    },
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
  try {
    for (const ep of opts.expectEntryPoints) {
      await running.waitFor(new RegExp(`entrypoint listening.*entryPoint=${ep}\\b`), opts.startMs);
    }
  } catch (err) {
    // A start that is given up on must not keep its ports for the next test.
    await running.stop('SIGKILL');
    throw err;
  }
  return running;
}

/**
 * Starts the CLI with one `web` entrypoint on 127.0.0.1 port 0 and a file provider reading `dynamic`
 * (YAML), and waits until that configuration is applied.
 */
export async function startWithDynamic(dynamic: string): Promise<Running> {
  const dir = tempDir();
  const file = writeFile(dir, 'dynamic.yml', dynamic);
  const config = writeFile(
    dir,
    'switchyard.yml',
    `entryPoints:\n  web:\n    address: "127.0.0.1:0"\nproviders:\n  file:\n    filename: ${file}\n`,
  );
  const running = await startSwitchyard([`--configFile=${config}`], { expectEntryPoints: ['web'] });
  await running.waitFor(/configuration applied.*generation=2/);
  return running;
}

/** Runs the CLI to completion (for `check`, `version`…). */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; bin?: string } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolvePromise) => {
    const proc = spawn(process.execPath, [opts.bin ?? BIN, ...args], {
      cwd: opts.cwd ?? REPO_ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c) => {
      stdout += c;
    });
    proc.stderr.on('data', (c) => {
      stderr += c;
    });
    proc.once('exit', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
