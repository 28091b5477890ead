/**
 * Network namespaces for tests of transparent proxying: a namespace of its own with loopback up and a
 * veth pair whose two ends (both inside it) carry addresses from a documentation range, and iptables
 * rules applied inside it. Root only; `netnsUnavailable()` says why a test cannot run.
 *
 * @example
 *   const ns = await createNetns();           // 192.0.2.1 (client side) and 192.0.2.2 (server side)
 *   await ns.run('iptables', ['-t', 'nat', '-A', 'OUTPUT', ...]);
 *   await ns.destroy();                        // always, in `after`
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { type ServerProcess, spawnServer } from './server-process.js';

/** Why namespaces cannot be used here, or false when they can (root, `ip` and `iptables` present). */
export function netnsUnavailable(): string | false {
  if (process.getuid?.() !== 0)
    return 'needs root: creating network namespaces and iptables rules does (CI runs as root)';
  for (const tool of ['ip', 'iptables']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `needs ${tool} (Debian packages iproute2, iptables)`;
    }
  }
  return false;
}

export interface Netns {
  readonly name: string;
  /** The address of the veth end the client uses. */
  readonly clientIp: string;
  /** The address of the other end, where target servers listen. */
  readonly serverIp: string;
  /** Runs a command inside the namespace; resolves with its stdout, rejects with its stderr. */
  run(cmd: string, args: string[]): Promise<string>;
  /** Starts a long-running process inside the namespace (stopped by PID). */
  spawn(cmd: string, args: string[]): ServerProcess;
  /** The prefix that runs a command inside the namespace. */
  readonly prefix: string[];
  /** With `separateClient`: a second namespace holding the client's end of the veth pair. */
  readonly client: { readonly name: string; run(cmd: string, args: string[]): Promise<string> } | undefined;
  /** Deletes the namespace(s) (and with them their interfaces and rules). */
  destroy(): Promise<void>;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

/**
 * Creates a namespace `sy-<random>` with lo up and a veth pair 192.0.2.1/24 (`va`, the client's end) ↔
 * 192.0.2.2/24 (`vb`). Both ends are inside it, unless `separateClient`: then `va` lives in a second
 * namespace whose default route goes through 192.0.2.2, so the client's packets arrive on `vb` from
 * outside (what iptables PREROUTING and TPROXY see).
 */
export async function createNetns(options: { separateClient?: boolean } = {}): Promise<Netns> {
  const id = randomBytes(4).toString('hex');
  const name = `sy-${id}`;
  const clientName = options.separateClient ? `syc-${id}` : undefined;
  const prefix = ['ip', 'netns', 'exec', name];
  const clientIp = '192.0.2.1';
  const serverIp = '192.0.2.2';
  const inNs = (ns: string) => (cmd: string, args: string[]) =>
    run('ip', ['netns', 'exec', ns, cmd, ...args]);
  await run('ip', ['netns', 'add', name]);
  const ns: Netns = {
    name,
    clientIp,
    serverIp,
    prefix,
    run: inNs(name),
    spawn: (cmd, args) => spawnServer('ip', ['netns', 'exec', name, cmd, ...args]),
    client: clientName ? { name: clientName, run: inNs(clientName) } : undefined,
    destroy: async () => {
      await run('ip', ['netns', 'del', name]).catch(() => {});
      if (clientName) await run('ip', ['netns', 'del', clientName]).catch(() => {});
    },
  };
  try {
    const clientRun = ns.client?.run ?? ns.run;
    if (clientName) {
      await run('ip', ['netns', 'add', clientName]);
      await clientRun('ip', ['link', 'set', 'lo', 'up']);
    }
    await ns.run('ip', ['link', 'set', 'lo', 'up']);
    await ns.run('ip', ['link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb']);
    if (clientName) await ns.run('ip', ['link', 'set', 'va', 'netns', clientName]);
    await clientRun('ip', ['addr', 'add', `${clientIp}/24`, 'dev', 'va']);
    await ns.run('ip', ['addr', 'add', `${serverIp}/24`, 'dev', 'vb']);
    await clientRun('ip', ['link', 'set', 'va', 'up']);
    await ns.run('ip', ['link', 'set', 'vb', 'up']);
    if (clientName) await clientRun('ip', ['route', 'add', 'default', 'via', serverIp]);
  } catch (err) {
    await ns.destroy();
    throw err;
  }
  return ns;
}
