import { execFile } from 'node:child_process';
import http2, { type ClientHttp2Session, type OutgoingHttpHeaders } from 'node:http2';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';
import * as ws from 'ws';
import { REPO_ROOT } from './cli.js';

/** The frame codec `ws` ships (its types leave these two out). */
const { Receiver, Sender } = ws as unknown as {
  Receiver: new (options: { isServer: boolean }) => Writable;
  Sender: {
    frame(
      data: Buffer,
      options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean },
    ): Buffer[];
  };
};

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

/** A WebSocket opened over HTTP/2 by extended CONNECT (RFC 8441), framed by the `ws` package. */
export interface H2WebSocket {
  /** The `:status` of the CONNECT answer (200: open). */
  status: number;
  headers: http2.IncomingHttpHeaders;
  stream: http2.ClientHttp2Stream;
  send(data: string | Buffer): void;
  /** Sends a close frame with `code`, then ends the stream. */
  close(code: number): void;
  /** The next message (text as a string), or the close code once the peer has closed. */
  next(): Promise<string | Buffer | { closed: number }>;
  /** Resolves with the stream's RST_STREAM code (0: ended cleanly) once it has closed. */
  ended: Promise<number>;
}

/**
 * Opens a WebSocket on `session` with `:method CONNECT` and `:protocol websocket`; waits for the server's
 * SETTINGS to allow it (SETTINGS_ENABLE_CONNECT_PROTOCOL), as a client must.
 */
export async function h2WebSocket(
  session: ClientHttp2Session,
  path: string,
  authority: string,
  extra: OutgoingHttpHeaders = {},
): Promise<H2WebSocket> {
  if (!session.remoteSettings.enableConnectProtocol) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server never allowed extended CONNECT')), 5_000);
      session.once('remoteSettings', (s) => {
        clearTimeout(timer);
        if (s.enableConnectProtocol) resolve();
        else reject(new Error('the server does not allow extended CONNECT'));
      });
    });
  }
  const stream = session.request({
    ':method': 'CONNECT',
    ':protocol': 'websocket',
    ':scheme': 'http',
    ':path': path,
    ':authority': authority,
    'sec-websocket-version': '13',
    ...extra,
  });
  stream.on('error', () => {});
  const ended = new Promise<number>((resolve) => stream.once('close', () => resolve(stream.rstCode ?? 0)));
  const headers = await new Promise<http2.IncomingHttpHeaders>((resolve, reject) => {
    stream.once('response', resolve);
    stream.once('close', () => reject(new Error(`stream closed before an answer (${stream.rstCode})`)));
  });
  const inbox: (string | Buffer | { closed: number })[] = [];
  const waiting: ((m: string | Buffer | { closed: number }) => void)[] = [];
  const deliver = (m: string | Buffer | { closed: number }) => {
    const w = waiting.shift();
    if (w) w(m);
    else inbox.push(m);
  };
  const receiver = new Receiver({ isServer: false });
  receiver.on('message', (data: Buffer, binary: boolean) => deliver(binary ? data : data.toString()));
  receiver.on('conclude', (code: number) => deliver({ closed: code }));
  receiver.on('error', () => stream.destroy());
  stream.pipe(receiver);
  const frame = (data: Buffer | string, opcode: number) => {
    for (const part of Sender.frame(Buffer.from(data), { fin: true, opcode, mask: true, readOnly: false }))
      stream.write(part);
  };
  return {
    status: Number(headers[':status']),
    headers,
    stream,
    send: (data) => frame(data, typeof data === 'string' ? 0x1 : 0x2),
    close: (code) => {
      const body = Buffer.alloc(2);
      body.writeUInt16BE(code);
      frame(body, 0x8);
      stream.end();
    },
    next: () =>
      new Promise((resolve) => {
        const m = inbox.shift();
        if (m !== undefined) resolve(m);
        else waiting.push(resolve);
      }),
    ended,
  };
}

/** What `test/helpers/h2-abuse.py` saw the server do (one JSON line). */
export interface H2ScriptOutcome {
  goaway: boolean;
  /** The first GOAWAY's error code. */
  error_code: number | null;
  closed: boolean;
  reset: number;
  refused: number;
  responses: number;
  max_concurrent_streams: number;
  /** `:status` and RST_STREAM code per stream id; the streams that ended; the scenario's own streams. */
  statuses: Record<string, number>;
  resets: Record<string, number>;
  ended: number[];
  streams: number[];
}

/**
 * Runs one scenario of the raw HTTP/2 client (Debian's python3-h2, `.ci/apt-packages.txt`) against
 * 127.0.0.1:`port`; its loops are bounded, and the run is killed after a minute in any case.
 */
export function runH2Script(scenario: string, port: number): Promise<H2ScriptOutcome> {
  const script = join(REPO_ROOT, 'test', 'helpers', 'h2-abuse.py');
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/python3', [script, scenario, String(port)], { timeout: 60_000 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as H2ScriptOutcome);
    });
  });
}
