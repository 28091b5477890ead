import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { REPO_ROOT, tempDir } from './cli.js';

/**
 * Real containers for tests, with podman serving the Docker API (see the reference's "Containers"):
 * settings from `test/fixtures/podman/containers.conf` (runc, inherited ulimits), a busybox httpd image
 * imported from a local rootfs (no registry), one API service per test file on its own socket.
 */

/** Environment for every podman command: the project's settings rather than /etc's. */
export const PODMAN_ENV = {
  ...process.env,
  CONTAINERS_CONF: join(REPO_ROOT, 'test', 'fixtures', 'podman', 'containers.conf'),
};

/** The test image; bump the tag when its content changes. */
export const TEST_IMAGE = 'localhost/switchyard-test-httpd:2';

/** Busybox applets the image's start script uses, as links to /bin/busybox. */
const APPLETS = ['sh', 'hostname', 'mkdir', 'cat', 'echo', 'httpd', 'touch', 'rm', 'test', 'sleep'];

/** Runs `podman args…`; resolves with stdout, rejects with stderr. */
export function podman(args: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('podman', args, { env: PODMAN_ENV, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error(`podman ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout.trim());
    });
  });
}

let imageReady: Promise<void> | undefined;

/**
 * Builds the test image once (per run: an image already in podman's storage is reused): busybox-static
 * as /bin/busybox, and a start script serving `/www/index.html` = `Name: <hostname>` on port 80.
 */
export function ensureTestImage(): Promise<void> {
  imageReady ??= importRootfs(TEST_IMAGE, ['EXPOSE 80', 'ENV PATH=/bin', 'CMD ["/bin/start"]'], (root) => {
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'www'));
    mkdirSync(join(root, 'tmp'));
    copyFileSync('/bin/busybox', join(root, 'bin', 'busybox'));
    for (const applet of APPLETS) symlinkSync('busybox', join(root, 'bin', applet));
    const start = join(root, 'bin', 'start');
    writeFileSync(
      start,
      '#!/bin/sh\necho "Name: $(hostname)" > /www/index.html\nexec httpd -f -p 80 -h /www\n',
    );
    chmodSync(start, 0o755);
  });
  return imageReady;
}

/**
 * Imports the directory tree `fill(root)` makes as the image `image` (with Dockerfile-like `changes`),
 * unless podman's storage already has that image.
 */
export async function importRootfs(
  image: string,
  changes: string[],
  fill: (root: string) => Promise<void> | void,
  timeoutMs = 60_000,
): Promise<void> {
  const exists = await podman(['image', 'exists', image]).then(
    () => true,
    () => false,
  );
  if (exists) return;
  const dir = tempDir('switchyard-image-');
  try {
    const root = join(dir, 'root');
    mkdirSync(root);
    await fill(root);
    await tar(root, join(dir, 'rootfs.tar'));
    await podman(
      ['import', ...changes.flatMap((c) => ['--change', c]), join(dir, 'rootfs.tar'), image],
      timeoutMs,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function tar(root: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('tar', ['-C', root, '-cf', out, '.'], (err) => (err ? reject(err) : resolve()));
  });
}

/** A label unique to this run, so a test's provider sees only its own containers (storage is shared). */
export function runLabel(): { key: string; value: string; constraint: string } {
  const value = randomBytes(6).toString('hex');
  return { key: 'switchyard.test', value, constraint: `Label(\`switchyard.test\`, \`${value}\`)` };
}

/**
 * Starts a container of the test image (`--init`, so it stops at once); resolves with its id. `command`
 * replaces the image's (busybox httpd on port 80).
 */
export function runContainer(
  name: string,
  labels: Record<string, string>,
  extra: string[] = [],
  command: string[] = [],
): Promise<string> {
  const args = ['run', '-d', '--init', '--name', name, '--hostname', name];
  for (const [k, v] of Object.entries(labels)) args.push('--label', `${k}=${v}`);
  return podman([...args, ...extra, TEST_IMAGE, ...command]);
}

/**
 * `podman run` options that let a container of the test image run this machine's Node.js as `/bin/node`:
 * read-only mounts of the binary and of each shared library `ldd` lists, at the paths the loader asks
 * for. For backends busybox has no applet for (a UDP server, a TLS server).
 */
export function nodeMounts(): string[] {
  const mounts = ['-v', `${realpathSync(process.execPath)}:/bin/node:ro`];
  const listing = execFileSync('ldd', [process.execPath], { encoding: 'utf8' });
  for (const m of listing.matchAll(/(\/\S+) \(0x[0-9a-f]+\)/g)) {
    mounts.push('-v', `${realpathSync(m[1]!)}:${m[1]}:ro`);
  }
  return mounts;
}

/** Removes containers whatever their state (for `after` hooks); `-i`: podman 4.3 removes none if one is missing. */
export async function removeContainers(names: string[]): Promise<void> {
  if (names.length > 0) await podman(['rm', '-f', '-i', '-t', '0', ...names]).catch(() => undefined);
}

/** A podman API service on a socket of its own. */
export interface PodmanService {
  socket: string;
  /** `unix://<socket>`, for `providers.docker.endpoint`. */
  endpoint: string;
  /** Stops the service (by its PID) and waits for it to exit; containers keep running. */
  stop(): Promise<void>;
  /** Starts it again on the same socket. */
  restart(): Promise<void>;
}

/** Starts `podman system service` on a fresh socket and waits until it answers `/_ping`. */
export async function startPodmanService(): Promise<PodmanService> {
  const dir = tempDir('switchyard-podman-');
  const socket = join(dir, 'podman.sock');
  let proc: ChildProcess | undefined;
  const start = async () => {
    rmSync(socket, { force: true });
    const child = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {
      env: PODMAN_ENV,
      stdio: 'ignore',
    });
    proc = child;
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) throw new Error(`podman system service exited (${child.exitCode})`);
      if (await ping(socket)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('podman system service did not answer /_ping');
  };
  const stop = async () => {
    const child = proc;
    proc = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    socket,
    endpoint: `unix://${socket}`,
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await stop();
      await start();
    },
  };
}

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}
