import type { Peeker } from './peeker.js';

/** Longest request line looked at: past it without a line end, the bytes are not HTTP/1. */
const MAX_LINE = 8192;
const REQUEST_LINE = /^[A-Z_-]{1,20} [^ \r\n]+ HTTP\/(?:1\.[01]|2\.0)\r?\n/;
const VERSIONS = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0'];

/** What the first bytes of a plain (non-TLS) connection are. */
export type PlainProtocol = 'http1' | 'other';

/**
 * Classifies the start of a plain connection, or undefined when more bytes are needed. HTTP/1 is a whole
 * request line, `METHOD target HTTP/1.x`; the HTTP/2 preface (`PRI * HTTP/2.0`) has that shape too and
 * goes where HTTP goes. Text protocols whose commands also start with capitals and a space (`HELO x`,
 * `SUB foo 1`) are told apart by the version at the end of the line.
 */
export function classifyPlain(bytes: Buffer): PlainProtocol | undefined {
  const text = bytes.toString('latin1', 0, Math.min(bytes.length, MAX_LINE));
  const eol = text.indexOf('\n');
  if (eol >= 0) return REQUEST_LINE.test(text.slice(0, eol + 1)) ? 'http1' : 'other';
  if (bytes.length >= MAX_LINE) return 'other';
  // No line end yet: ask for more only while the bytes can still become a request line.
  const m = /^[A-Z_-]{0,20}/.exec(text)![0].length;
  if (m === text.length) return m <= 20 ? undefined : 'other';
  if (m === 0 || text[m] !== ' ') return 'other';
  const target = text.indexOf(' ', m + 1);
  if (target < 0) return /[\r]/.test(text.slice(m + 1)) ? 'other' : undefined;
  const version = text.slice(target + 1, target + 9);
  return target > m + 1 && VERSIONS.some((v) => v.startsWith(version)) ? undefined : 'other';
}

/**
 * Waits up to `timeoutMs` for the plain protocol of a connection to show: `undefined` when the client has
 * sent nothing yet in that time (a server-first protocol), `other` when it sent too little to tell.
 */
export async function detectPlain(peeker: Peeker, timeoutMs: number): Promise<PlainProtocol | 'silent'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    for (;;) {
      const got = await Promise.race([peeker.need(peeker.bytes.length + 1), deadline]);
      if (got === undefined) return peeker.bytes.length === 0 ? 'silent' : 'other';
      if (got.length === 0) return 'other';
      const kind = classifyPlain(got);
      if (kind !== undefined) return kind;
      if (peeker.isEnded) return 'other';
    }
  } finally {
    clearTimeout(timer);
  }
}
