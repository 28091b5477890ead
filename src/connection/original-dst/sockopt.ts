import { createRequire } from 'node:module';
import type { Server, Socket } from 'node:net';
import { endianness } from 'node:os';
import { SwitchyardError } from '../../core/errors.js';
import type { SocketAddress } from '../connection-facts.js';
import { ipText } from '../proxy-protocol/parser.js';

// Linux constants (linux/in.h, linux/in6.h, linux/netfilter_ipv4.h, linux/netfilter_ipv6/ip6_tables.h).
const SOL_IP = 0;
const SOL_IPV6 = 41;
const SO_ORIGINAL_DST = 80;
const IP6T_SO_ORIGINAL_DST = 80;
const IP_TRANSPARENT = 19;
const IPV6_TRANSPARENT = 75;
const AF_INET = 2;
const AF_INET6 = 10;

interface Libc {
  getsockopt(fd: number, level: number, name: number, value: Buffer, length: number[]): number;
  setsockopt(fd: number, level: number, name: number, value: Buffer, length: number): number;
  errno(): number;
}

let libc: Libc | undefined;

/**
 * getsockopt/setsockopt from libc through koffi (prebuilt binaries inside the npm package; node has no
 * getsockopt of its own). Loaded on first use, so entrypoints without transparent mode never load it.
 */
function loadLibc(): Libc {
  if (libc) return libc;
  if (process.platform !== 'linux') {
    throw new SwitchyardError(
      'CONFIG_INVALID',
      'transparent mode needs Linux (SO_ORIGINAL_DST, IP_TRANSPARENT)',
    );
  }
  const koffi = createRequire(import.meta.url)('koffi') as {
    load(path: string): { func(signature: string): (...args: unknown[]) => number };
    errno(): number;
  };
  const lib = koffi.load('libc.so.6');
  const get = lib.func('int getsockopt(int, int, int, _Out_ uint8_t *value, _Inout_ uint32_t *length)');
  const set = lib.func('int setsockopt(int, int, int, const uint8_t *value, uint32_t length)');
  libc = {
    getsockopt: (fd, level, name, value, length) => get(fd, level, name, value, length),
    setsockopt: (fd, level, name, value, length) => set(fd, level, name, value, length),
    errno: () => koffi.errno(),
  };
  return libc;
}

/**
 * The file descriptor under a node socket or server. Node exposes it only on its internal handle
 * (`_handle.fd`, a TCP wrap on Linux); -1 when there is none.
 */
function fdOf(handleOwner: Socket | Server): number {
  const fd = (handleOwner as unknown as { _handle?: { fd?: number } })._handle?.fd;
  return typeof fd === 'number' ? fd : -1;
}

/** Decodes a `sockaddr_in` / `sockaddr_in6` as the kernel wrote it. */
function decodeSockaddr(buf: Buffer): SocketAddress | undefined {
  // sa_family is in host byte order, the port in network order.
  const family = endianness() === 'LE' ? buf.readUInt16LE(0) : buf.readUInt16BE(0);
  const port = buf.readUInt16BE(2);
  if (family === AF_INET) return { address: ipText(buf.subarray(4, 8)), port };
  if (family === AF_INET6) return { address: ipText(buf.subarray(8, 24)), port };
  return undefined;
}

/**
 * Where the client of `socket` was going before an iptables `REDIRECT` (or DNAT) rule sent it here: the
 * kernel's `SO_ORIGINAL_DST` (IPv4) or `IP6T_SO_ORIGINAL_DST` (IPv6) from the connection's conntrack
 * entry. Undefined when the kernel has none (no conntrack entry, or not a TCP socket).
 */
export function originalDestination(socket: Socket): SocketAddress | undefined {
  const fd = fdOf(socket);
  if (fd < 0) return undefined;
  const c = loadLibc();
  const v6 = socket.localFamily === 'IPv6' && !(socket.localAddress ?? '').startsWith('::ffff:');
  const buf = Buffer.alloc(28);
  const length = [v6 ? 28 : 16];
  const rc = v6
    ? c.getsockopt(fd, SOL_IPV6, IP6T_SO_ORIGINAL_DST, buf, length)
    : c.getsockopt(fd, SOL_IP, SO_ORIGINAL_DST, buf, length);
  if (rc !== 0) return undefined;
  return decodeSockaddr(buf);
}

/**
 * Sets `IP_TRANSPARENT` (and `IPV6_TRANSPARENT` on IPv6 listeners) on a listening server, so iptables
 * `TPROXY` can hand it connections addressed to any IP; the accepted socket's local address is then the
 * client's original destination. Needs CAP_NET_ADMIN. Throws a SwitchyardError naming the errno.
 */
export function makeTransparent(server: Server): void {
  const fd = fdOf(server);
  if (fd < 0) throw new SwitchyardError('LISTEN_FAILED', 'transparent mode: the listener has no socket');
  const c = loadLibc();
  const one = Buffer.alloc(4);
  one.writeInt32LE(1);
  const address = server.address();
  const v6 = typeof address === 'object' && address !== null && address.family === 'IPv6';
  const rc = v6
    ? c.setsockopt(fd, SOL_IPV6, IPV6_TRANSPARENT, one, 4)
    : c.setsockopt(fd, SOL_IP, IP_TRANSPARENT, one, 4);
  if (rc !== 0) {
    const errno = c.errno();
    throw new SwitchyardError(
      'LISTEN_FAILED',
      `transparent mode: setting IP_TRANSPARENT failed (errno ${errno}${errno === 1 ? ', needs CAP_NET_ADMIN' : ''})`,
    );
  }
}
