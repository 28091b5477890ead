import type { Socket } from 'node:net';

/** What one forwarded connection did. */
export interface PipeResult {
  /** Bytes from the client to the backend and back. */
  sent: number;
  received: number;
  /** The first socket error, if any (a reset is a normal, if abrupt, end). */
  error?: Error;
}

/**
 * Forwards bytes both ways until both peers are done, with backpressure (`pipe`) and half-close: when one
 * peer ends its writing side, the other is told (FIN) and may keep sending. Traefik's `terminationDelay`
 * then bounds how long the other side may keep the connection open (negative: no bound). Any error or
 * close on one side destroys the other, so a dead peer never leaves its partner open.
 */
export function pipeSockets(
  client: Socket,
  backend: Socket,
  opts: { terminationDelayMs: number; leftover?: Buffer | undefined; onDone?: (r: PipeResult) => void },
): void {
  let firstError: Error | undefined;
  let timer: NodeJS.Timeout | undefined;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    if (timer) clearTimeout(timer);
    client.destroy();
    backend.destroy();
    const result = { sent: backend.bytesWritten, received: client.bytesWritten };
    opts.onDone?.(firstError ? { ...result, error: firstError } : result);
  };
  const onError = (err: Error) => {
    firstError ??= err;
    finish();
  };
  client.on('error', onError);
  backend.on('error', onError);
  client.once('close', finish);
  backend.once('close', finish);

  let halfClosed = 0;
  const onHalfClose = () => {
    halfClosed++;
    if (halfClosed === 2) {
      // Both peers have ended: once our FINs are flushed the sockets close themselves.
      if (client.writableFinished && backend.writableFinished) finish();
      return;
    }
    if (opts.terminationDelayMs >= 0) timer = setTimeout(finish, opts.terminationDelayMs);
  };
  client.once('end', onHalfClose);
  backend.once('end', onHalfClose);
  const onFinish = () => {
    if (halfClosed === 2 && client.writableFinished && backend.writableFinished) finish();
  };
  client.once('finish', onFinish);
  backend.once('finish', onFinish);

  if (opts.leftover && opts.leftover.length > 0) {
    // The client ended while it was being peeked: its bytes and its FIN go to the backend at once.
    backend.end(opts.leftover);
    backend.pipe(client);
    onHalfClose();
    return;
  }
  // A peer may have ended before the pipe exists (a client that connects and sends only its FIN: node
  // emits 'end' on a socket with no data without waiting for a reader). `pipe` still passes that FIN on;
  // the termination delay must start as well.
  const ended = [client, backend].filter((s) => s.readableEnded);
  client.pipe(backend);
  backend.pipe(client);
  for (const _ of ended) onHalfClose();
}
