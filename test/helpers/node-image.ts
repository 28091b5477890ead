import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { importRootfs } from './podman.js';

/**
 * A Node.js base image assembled from this machine (no registry can be reached): the running node binary
 * and the libraries it links, npm, busybox-static for a shell and the usual tools, and a `node` user
 * (uid 1000) as in the official `node` images. The Dockerfile is built `--build-arg NODE_IMAGE=` it.
 */
export const NODE_BASE_IMAGE = 'localhost/switchyard-test-node-base:1';

const APPLETS = ['sh', 'tar', 'gzip', 'mkdir', 'cp', 'rm', 'ls', 'cat', 'mv', 'ln', 'chmod', 'chown', 'env'];

let ready: Promise<void> | undefined;

/** Builds the base image once (an image already in podman's storage is reused). */
export function ensureNodeBaseImage(): Promise<void> {
  ready ??= importRootfs(
    NODE_BASE_IMAGE,
    ['ENV PATH=/usr/local/bin:/usr/bin:/bin', 'CMD ["node"]'],
    async (root) => {
      const put = (from: string, to = from) => {
        mkdirSync(dirname(join(root, to)), { recursive: true });
        copyFileSync(from, join(root, to));
      };
      const node = realpathSync(process.execPath);
      put(node, '/usr/local/bin/node');
      for (const lib of await sharedLibraries(node)) put(lib);
      const npm = realpathSync(join(dirname(node), '..', 'lib', 'node_modules', 'npm'));
      await run('cp', ['-a', npm, join(root, 'usr/local/lib/node_modules/npm')], true);
      symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(root, 'usr/local/bin/npm'));
      put('/bin/busybox', '/bin/busybox');
      for (const applet of APPLETS) symlinkSync('busybox', join(root, 'bin', applet));
      mkdirSync(join(root, 'usr/bin'), { recursive: true });
      symlinkSync('/bin/busybox', join(root, 'usr/bin/env'));
      for (const d of ['tmp', 'root', 'home/node', 'etc']) mkdirSync(join(root, d), { recursive: true });
      chmodSync(join(root, 'tmp'), 0o1777);
      writeFileSync(
        join(root, 'etc/passwd'),
        'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\n',
      );
      writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnode:x:1000:\n');
      await run('chown', ['1000:1000', join(root, 'home/node')]);
    },
    180_000,
  );
  return ready;
}

/** The shared libraries `ldd` lists for a binary, including the dynamic loader. */
async function sharedLibraries(binary: string): Promise<string[]> {
  const out = await run('ldd', [binary]);
  return [...out.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1]!).filter((p) => !p.includes('vdso'));
}

function run(cmd: string, args: string[], mkParent = false): Promise<string> {
  if (mkParent) mkdirSync(dirname(args.at(-1)!), { recursive: true });
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 1 << 24 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
    );
  });
}
