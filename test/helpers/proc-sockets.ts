/**
 * Test support (Linux): which process holds the accepted TCP connections of a local port, read from
 * /proc/net/tcp (socket inodes by local port) and /proc/PID/fd (the inodes each process holds). Used to
 * show which worker process took which connection.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Inodes of established IPv4 sockets whose local port is `port` (accepted connections of a listener). */
function acceptedInodes(port: number): Set<string> {
  const out = new Set<string>();
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st … inode (field 9); state 01 = ESTABLISHED.
    if (f.length < 10 || f[3] !== '01') continue;
    if (Number.parseInt(f[1]!.split(':')[1]!, 16) === port) out.add(f[9]!);
  }
  return out;
}

/** How many accepted connections of `port` each of `pids` holds now. */
export function connectionsByPid(pids: readonly number[], port: number): Map<number, number> {
  const inodes = acceptedInodes(port);
  const out = new Map<number, number>();
  for (const pid of pids) {
    let n = 0;
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      // The process is gone: it holds nothing.
    }
    for (const fd of fds) {
      let target = '';
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1]!)) n += 1;
    }
    out.set(pid, n);
  }
  return out;
}
