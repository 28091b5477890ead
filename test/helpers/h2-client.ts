import http2, { type ClientHttp2Session, type OutgoingHttpHeaders } from 'node:http2';
import type { ConnectionOptions } from 'node:tls';

/** What an HTTP/2 exchange gave the client. */
export interface H2Reply {
  status: number;
  headers: http2.IncomingHttpHeaders;
  trailers: http2.IncomingHttpHeaders | undefined;
  body: Buffer;
  /** The stream was reset (RST_STREAM code) or errored before its end. */
  error: string | undefined;
}

/** An HTTP/2 client session (node's own client): h2c with prior knowledge, or TLS with ALPN h2. */
export async function h2Connect(url: string, tls?: ConnectionOptions): Promise<ClientHttp2Session> {
  const session = http2.connect(url, tls ? { ...tls, ALPNProtocols: ['h2'] } : {});
  session.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    session.once('connect', () => resolve());
    session.once('error', reject);
  });
  return session;
}

/** One request on `session`; `body` is sent as it is (a Buffer) or as successive chunks. */
export function h2Request(
  session: ClientHttp2Session,
  headers: OutgoingHttpHeaders,
  body?: Buffer | Buffer[],
  timeoutMs = 10_000,
): Promise<H2Reply> {
  return new Promise((resolve) => {
    const stream = session.request(headers, { endStream: body === undefined });
    const chunks: Buffer[] = [];
    const reply: H2Reply = {
      status: 0,
      headers: {},
      trailers: undefined,
      body: Buffer.alloc(0),
      error: undefined,
    };
    let settled = false;
    const done = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reply.body = Buffer.concat(chunks);
      reply.error = error;
      resolve(reply);
    };
    const timer = setTimeout(() => {
      stream.close(http2.constants.NGHTTP2_CANCEL);
      done('client timeout');
    }, timeoutMs);
    stream.on('response', (h) => {
      reply.headers = h;
      reply.status = Number(h[':status']);
    });
    stream.on('trailers', (t) => {
      reply.trailers = t;
    });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => done());
    stream.on('error', (err: Error) => done(err.message));
    stream.on('close', () => done(stream.rstCode ? `reset ${stream.rstCode}` : undefined));
    if (Buffer.isBuffer(body)) stream.end(body);
    else if (body !== undefined) {
      for (const c of body) stream.write(c);
      stream.end();
    }
  });
}
