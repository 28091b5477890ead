import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';

/** A real TCP server on 127.0.0.1 port 0 and the sockets it accepted (for checks and cleanup). */
export interface TcpServer {
  port: number;
  address: string;
  accepted: number;
  close(): Promise<void>;
}

async function listen(server: net.Server, sockets: Set<net.Socket>): Promise<TcpServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const out: TcpServer = {
    port,
    address: `127.0.0.1:${port}`,
    accepted: 0,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket) => {
    out.accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  return out;
}

/** Echoes every byte back, prefixed once with `name:` so tests see which server answered. */
export function startEcho(name: string): Promise<TcpServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    socket.write(`${name}:`);
    socket.pipe(socket);
  });
  return listen(server, sockets);
}

/** Speaks first, like SMTP: sends a banner, then answers each line with `250 <line>`. */
export function startBanner(banner: string): Promise<TcpServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    socket.write(`${banner}\r\n`);
    socket.setEncoding('utf8');
    socket.on('data', (line: string) => socket.write(`250 ${line.trim()}\r\n`));
  });
  return listen(server, sockets);
}

/** Reads until the client's FIN, then answers `got <n> bytes` and ends: needs half-close to work. */
export function startHalfClose(): Promise<TcpServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    let n = 0;
    socket.on('data', (chunk: Buffer) => {
      n += chunk.length;
    });
    socket.on('end', () => socket.end(`got ${n} bytes`));
  });
  return listen(server, sockets);
}

/** Greets with `hello` and then ignores everything, its client's FIN included: it never closes. */
export function startDeaf(): Promise<TcpServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.write('hello');
    socket.resume();
  });
  return listen(server, sockets);
}

/** Sends `bye` and its FIN at once, then counts what its client still sends, until the client's FIN. */
export async function startFinFirst(): Promise<TcpServer & { received: number; clientEnded: boolean }> {
  const sockets = new Set<net.Socket>();
  const state = { received: 0, clientEnded: false };
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.end('bye');
    socket.on('data', (d: Buffer) => {
      state.received += d.length;
    });
    socket.on('end', () => {
      state.clientEnded = true;
    });
  });
  const out = await listen(server, sockets);
  return Object.defineProperties(out, {
    received: { get: () => state.received },
    clientEnded: { get: () => state.clientEnded },
  }) as TcpServer & typeof state;
}

/** Echoes, and resets the connection (RST, no FIN) when it reads `die`. */
export function startResetting(): Promise<TcpServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    socket.on('data', (d: Buffer) => (d.includes('die') ? socket.resetAndDestroy() : socket.write(d)));
  });
  return listen(server, sockets);
}

/**
 * A TLS server that answers `<name>:` plus an echo, with its own certificate; `options` adds server
 * settings (e.g. `requestCert`, `rejectUnauthorized` and `ca` to require client certificates).
 */
export function startTlsEcho(
  name: string,
  cert: { cert: string; key: string },
  options: tls.TlsOptions = {},
): Promise<TcpServer> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ ...cert, ...options }, (socket) => {
    socket.on('error', () => {});
    socket.write(`${name}:`);
    socket.pipe(socket);
  });
  return listen(server, sockets);
}

/** How an exchange connects and when it gives up. */
export interface ExchangeOptions {
  /** Send FIN after `send`. */
  end?: boolean;
  /** Connect over TLS with these options (no certificate check unless they ask for one). */
  tls?: tls.ConnectionOptions;
  /** The client address (a 127.0.0.x address). */
  localAddress?: string;
  /** The guard: the exchange ends after this long (default 10 s), `closed: false` then. */
  limitMs?: number;
}

/**
 * Connects (over TLS with `tls`; from `localAddress` if given), writes `send` (then FIN when `end`), and
 * collects the bytes that come back until `until` matches or the server closes. Bounded: gives up after
 * `limitMs` (10 s). `closed` tells whether the peer closed the connection; `error`, what went wrong on
 * the socket if anything did.
 */
export function exchangeBytes(
  port: number,
  send: string | Buffer | undefined,
  opts: ExchangeOptions & { until?: (got: Buffer) => boolean } = {},
): Promise<{ data: Buffer; closed: boolean; error?: string }> {
  return new Promise((resolve) => {
    const from = opts.localAddress ? { localAddress: opts.localAddress } : {};
    const socket = opts.tls
      ? tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...from, ...opts.tls })
      : net.connect({ host: '127.0.0.1', port, allowHalfOpen: true, ...from });
    const chunks: Buffer[] = [];
    let error: string | undefined;
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const data = Buffer.concat(chunks);
      resolve(error ? { data, closed, error } : { data, closed });
    };
    const timer = setTimeout(() => finish(false), opts.limitMs ?? 10_000);
    socket.on(opts.tls ? 'secureConnect' : 'connect', () => {
      if (send !== undefined) socket.write(send);
      if (opts.end) socket.end();
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (opts.until?.(Buffer.concat(chunks))) finish(false);
    });
    socket.on('error', (err) => {
      error = err.message;
    });
    // The peer's FIN ends the exchange (the client is half-open so that it can send its own FIN first).
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
  });
}

/** `exchangeBytes` for text: what comes back as a UTF-8 string, and `until` applied to it. */
export async function exchange(
  port: number,
  send: string | Buffer | undefined,
  opts: ExchangeOptions & { until?: (got: string) => boolean } = {},
): Promise<{ data: string; closed: boolean; error?: string }> {
  const { until, ...rest } = opts;
  const got = await exchangeBytes(port, send, until ? { ...rest, until: (b) => until(b.toString()) } : rest);
  return { ...got, data: got.data.toString() };
}

/** The ClientHello a node TLS client sends for `servername`, read off a plain listener. */
export async function captureClientHello(servername: string): Promise<Buffer> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hello = new Promise<Buffer>((resolve) =>
    server.once('connection', (s) => s.once('data', (b: Buffer) => resolve(b))),
  );
  const client = tls.connect({
    host: '127.0.0.1',
    port: (server.address() as net.AddressInfo).port,
    servername,
  });
  client.on('error', () => {});
  const bytes = await hello;
  client.destroy();
  server.close();
  return bytes;
}
