/**
 * One client-side vector (issue 18): the bytes a client writes on one connection, the statuses it must
 * get back, in order (interim `100` included), and the requests the server must receive, in order —
 * exactly one faithful request (method, target, body) per accepted client request, or nothing.
 * `statuses: []` means the documented outcome is a close without an answer.
 */
export interface ClientVector {
  readonly group: string;
  readonly name: string;
  readonly send: string;
  readonly statuses: readonly number[];
  readonly received: readonly Forwarded[];
}

/** A request as the server must receive it: method, target, body. */
export type Forwarded = readonly [method: string, target: string, body: string];

export const H = 'Host: app.test\r\n';
export const CLOSE = 'Connection: close\r\n';

/** `GET <target>` with Host and `Connection: close`. */
export function get(target = '/a', extra = ''): string {
  return `GET ${target} HTTP/1.1\r\n${H}${extra}${CLOSE}\r\n`;
}

/** Shorthand for a vector of `group`. */
export function vector(
  group: string,
  name: string,
  send: string,
  statuses: readonly number[],
  received: readonly Forwarded[] = [],
): ClientVector {
  return { group, name, send, statuses, received };
}

/** Printable form of raw bytes for test names (CR, LF, tab and controls escaped). */
export function show(bytes: string): string {
  const s = JSON.stringify(bytes)
    .slice(1, -1)
    .replace(/[\x7f-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
