import net from 'node:net';

/** One request as the server received it on the wire. */
export interface Received {
  readonly method: string;
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * A recording HTTP/1 server for the client-vector suite: it reads each request off the socket (head,
 * then a `Content-Length` or chunked body), records it, and answers `200 ok`. Anything it cannot frame
 * is recorded as a `DESYNC` request: a proxy must never send bytes a server could split differently.
 */
export interface RecordingBackend {
  readonly port: number;
  readonly received: Received[];
  /** The requests forwarded for the client at `address` (the proxy's `X-Real-Ip`), in order. */
  from(address: string): Received[];
  /** Drops what was recorded for `address`. */
  forget(address: string): void;
  /** Requests without a client address, and every request that could not be framed (`DESYNC`). */
  stray(): Received[];
  close(): Promise<void>;
}

export async function startRecordingBackend(): Promise<RecordingBackend> {
  const received: Received[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buf = '';
    socket.setEncoding('latin1');
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (data: string) => {
      buf += data;
      for (let r = takeRequest(buf); r !== undefined; r = takeRequest(buf)) {
        buf = buf.slice(r.used);
        received.push(r.request);
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    from: (address) => received.filter((r) => r.headers['x-real-ip'] === address),
    forget: (address) => {
      for (let i = received.length - 1; i >= 0; i--)
        if (received[i]!.headers['x-real-ip'] === address) received.splice(i, 1);
    },
    stray: () => received.filter((r) => r.method === 'DESYNC' || r.headers['x-real-ip'] === undefined),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const DESYNC = (what: string): Received => ({ method: 'DESYNC', target: what, headers: {}, body: '' });

/** The first complete request in `buf` and the bytes it used, or undefined when more is needed. */
function takeRequest(buf: string): { request: Received; used: number } | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [line = '', ...lines] = buf.slice(0, end).split('\r\n');
  const [method = '', target = '', version = ''] = line.split(' ');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const colon = l.indexOf(':');
    if (colon <= 0) return { request: DESYNC(l), used: buf.length };
    const name = l.slice(0, colon).toLowerCase();
    headers[name] =
      headers[name] === undefined
        ? l.slice(colon + 1).trim()
        : `${headers[name]}, ${l.slice(colon + 1).trim()}`;
  }
  if (version !== 'HTTP/1.1') return { request: DESYNC(line), used: buf.length };
  let at = end + 4;
  let body = '';
  if (headers['transfer-encoding'] !== undefined) {
    if (headers['transfer-encoding'] !== 'chunked' || headers['content-length'] !== undefined) {
      return { request: DESYNC(`framing ${JSON.stringify(headers)}`), used: buf.length };
    }
    for (;;) {
      const eol = buf.indexOf('\r\n', at);
      if (eol < 0) return undefined;
      const size = Number.parseInt(buf.slice(at, eol), 16);
      if (!/^[0-9a-f]+$/i.test(buf.slice(at, eol)))
        return { request: DESYNC('chunk size'), used: buf.length };
      if (size === 0) {
        if (buf.length < eol + 4) return undefined;
        at = eol + 4; // no trailers are forwarded here
        break;
      }
      if (buf.length < eol + 2 + size + 2) return undefined;
      body += buf.slice(eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  } else if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    if (buf.length < at + n) return undefined;
    body = buf.slice(at, at + n);
    at += n;
  }
  return { request: { method, target, headers, body }, used: at };
}
