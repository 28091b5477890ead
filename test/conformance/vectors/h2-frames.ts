/*
 * HTTP/2 vectors over h2c (the preface on a plain HTTP entrypoint), as raw frames: framing errors a
 * library client would never send. Each either gets a response on stream 1 (`answered`) or is refused
 * with GOAWAY, RST_STREAM or a close (`refused`); never a crash, and the entrypoint serves afterwards.
 */

/** A PING payload the test waits for the ACK of: every frame before it was read. */
export const SYNC = Buffer.from('syncsync', 'latin1');

export const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** One frame: 24-bit length, type, flags, 31-bit stream id, payload. */
export function frame(type: number, flags: number, stream: number, payload: Buffer | number[] = []): Buffer {
  const body = Buffer.from(payload);
  const head = Buffer.alloc(9);
  head.writeUIntBE(body.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(stream, 5);
  return Buffer.concat([head, body]);
}

/** HPACK literal header field without indexing, new name (lengths under 127, no Huffman). */
export function literal(name: string, value: string): Buffer {
  return Buffer.concat([
    Buffer.from([0x00, name.length]),
    Buffer.from(name, 'latin1'),
    Buffer.from([value.length]),
    Buffer.from(value, 'latin1'),
  ]);
}

const DATA = 0;
const HEADERS = 1;
const PRIORITY = 2;
const RST = 3;
const SETTINGS = 4;
const PING = 6;
const WINDOW_UPDATE = 8;
const CONTINUATION = 9;
const END_STREAM = 0x1;
const END_HEADERS = 0x4;

const block = (path = '/h2', extra: Buffer[] = []) =>
  Buffer.concat([
    literal(':method', 'GET'),
    literal(':scheme', 'http'),
    literal(':path', path),
    literal(':authority', 'app.test'),
    ...extra,
  ]);
const get = (stream = 1, path = '/h2') => frame(HEADERS, END_STREAM | END_HEADERS, stream, block(path));

export interface H2Vector {
  readonly name: string;
  /** Frames after the preface and an empty SETTINGS. */
  readonly frames: Buffer;
  /** `ignored`: stream 1 gets nothing (not answered, not forwarded) and the session lives on. */
  readonly outcome: 'answered' | 'refused' | 'ignored';
}

const v = (name: string, frames: Buffer[], outcome: H2Vector['outcome']): H2Vector => ({
  name,
  frames: Buffer.concat(frames),
  outcome,
});

export const H2_VECTORS: readonly H2Vector[] = [
  v('a valid GET', [get()], 'answered'),
  v('an unknown frame type is ignored', [frame(0xfa, 0, 0, [1, 2, 3]), get()], 'answered'),
  v('a PING then a GET', [frame(PING, 0, 0, Buffer.alloc(8)), get()], 'answered'),
  v('a frame longer than SETTINGS_MAX_FRAME_SIZE', [frame(DATA, 0, 1, Buffer.alloc(16_385))], 'refused'),
  v('HEADERS on stream 0', [get(0)], 'refused'),
  v('HEADERS on an even (server) stream', [get(2)], 'refused'),
  v('DATA on an idle stream', [frame(DATA, END_STREAM, 1, Buffer.from('x'))], 'refused'),
  v('SETTINGS with a length not a multiple of 6', [frame(SETTINGS, 0, 0, [0, 2, 0, 0, 0])], 'refused'),
  v('SETTINGS on a stream', [frame(SETTINGS, 0, 1, [])], 'refused'),
  v('SETTINGS_ENABLE_PUSH = 2', [frame(SETTINGS, 0, 0, [0, 2, 0, 0, 0, 2])], 'refused'),
  v('SETTINGS_INITIAL_WINDOW_SIZE over 2^31-1', [frame(SETTINGS, 0, 0, [0, 4, 0x80, 0, 0, 0])], 'refused'),
  v('SETTINGS_MAX_FRAME_SIZE under 16384', [frame(SETTINGS, 0, 0, [0, 5, 0, 0, 0, 1])], 'refused'),
  v('a SETTINGS ACK with a payload', [frame(SETTINGS, 1, 0, [0, 3, 0, 0, 0, 1])], 'refused'),
  v('a PING of 7 bytes', [frame(PING, 0, 0, Buffer.alloc(7))], 'refused'),
  v('a PING on a stream', [frame(PING, 0, 1, Buffer.alloc(8))], 'refused'),
  v('WINDOW_UPDATE of 0 on the connection', [frame(WINDOW_UPDATE, 0, 0, [0, 0, 0, 0])], 'refused'),
  v(
    'WINDOW_UPDATE overflowing the connection window',
    [frame(WINDOW_UPDATE, 0, 0, [0x7f, 0xff, 0xff, 0xff])],
    'refused',
  ),
  v('WINDOW_UPDATE of 3 bytes', [frame(WINDOW_UPDATE, 0, 0, [0, 0, 1])], 'refused'),
  v('CONTINUATION without HEADERS', [frame(CONTINUATION, END_HEADERS, 1, block())], 'refused'),
  v(
    'HEADERS without END_HEADERS, then a PING',
    [frame(HEADERS, END_STREAM, 1, block()), frame(PING, 0, 0, Buffer.alloc(8))],
    'refused',
  ),
  v('RST_STREAM on an idle stream', [frame(RST, 0, 1, [0, 0, 0, 8])], 'refused'),
  v('RST_STREAM of 3 bytes', [get(), frame(RST, 0, 1, [0, 0, 8])], 'refused'),
  v('PRIORITY of 4 bytes', [frame(PRIORITY, 0, 1, [0, 0, 0, 0])], 'refused'),
  v('a stream depending on itself', [frame(PRIORITY, 0, 1, [0, 0, 0, 1, 16]), get()], 'refused'),
  v('an HPACK index out of range', [frame(HEADERS, END_STREAM | END_HEADERS, 1, [0xff, 0x7f])], 'refused'),
  v('an HPACK index 0', [frame(HEADERS, END_STREAM | END_HEADERS, 1, [0x80])], 'refused'),
  v(
    'an HPACK table size update over the limit',
    [frame(HEADERS, END_STREAM | END_HEADERS, 1, [0x3f, 0xe1, 0xff, 0x03])],
    'refused',
  ),
  v(
    'a truncated HPACK literal',
    [frame(HEADERS, END_STREAM | END_HEADERS, 1, [0x00, 0x05, 0x61])],
    'refused',
  ),
  v(
    'no :path',
    [
      frame(
        HEADERS,
        END_STREAM | END_HEADERS,
        1,
        Buffer.concat([
          literal(':method', 'GET'),
          literal(':scheme', 'http'),
          literal(':authority', 'app.test'),
        ]),
      ),
    ],
    'refused',
  ),
  v(
    'an uppercase header name',
    [frame(HEADERS, END_STREAM | END_HEADERS, 1, block('/h2', [literal('X-Upper', 'v')]))],
    'refused',
  ),
  v(
    'a connection-specific header',
    [frame(HEADERS, END_STREAM | END_HEADERS, 1, block('/h2', [literal('connection', 'keep-alive')]))],
    'refused',
  ),
  v(
    'transfer-encoding: chunked',
    [frame(HEADERS, END_STREAM | END_HEADERS, 1, block('/h2', [literal('transfer-encoding', 'chunked')]))],
    'refused',
  ),
  v(
    'a pseudo-header after a regular one',
    [frame(HEADERS, END_STREAM | END_HEADERS, 1, Buffer.concat([literal('x-a', 'b'), block()]))],
    'refused',
  ),
  v(
    'an unknown pseudo-header',
    [frame(HEADERS, END_STREAM | END_HEADERS, 1, block('/h2', [literal(':foo', 'bar')]))],
    'refused',
  ),
  // Go refuses the stream; Node accepts the field and the proxy drops it before forwarding (never injected).
  v(
    'a header value with a CR LF (dropped, not forwarded)',
    [frame(HEADERS, END_STREAM | END_HEADERS, 1, block('/h2', [literal('x-a', 'a\r\nb: c')]))],
    'answered',
  ),
  v(
    'content-length larger than the DATA',
    [
      frame(HEADERS, END_HEADERS, 1, block('/h2', [literal('content-length', '10')])),
      frame(DATA, END_STREAM, 1, Buffer.from('abc')),
    ],
    'refused',
  ),
  // Node's session drops a HEADERS frame on a lower stream id silently (RFC 9113: a connection error);
  // the PING after it shows the frame was read, and stream 1 is never answered nor forwarded.
  v('stream ids going backwards', [get(3), get(1), frame(PING, 0, 0, SYNC)], 'ignored'),
  v('DATA after END_STREAM', [get(), frame(DATA, END_STREAM, 1, Buffer.from('x'))], 'refused'),
  v(
    'a padded HEADERS whose padding exceeds the frame',
    [frame(HEADERS, END_STREAM | END_HEADERS | 0x8, 1, Buffer.concat([Buffer.from([200]), block()]))],
    'refused',
  ),
  v('GOAWAY from the client then a GET', [frame(7, 0, 0, [0, 0, 0, 0, 0, 0, 0, 0]), get()], 'refused'),
];
