import { type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/*
 * The HTTP/1 client-error path. Node's server parses pipelined requests ahead of their answers, so a
 * parse error (or the read timeout) can arrive while responses to requests it accepted are still being
 * written. Those are answered first, in order; then the bad part gets its status and the connection
 * closes, as nginx does. Destroying the socket at once would lose responses the server already ran.
 */

/** The status for a client error: 431 (head too large), 408 (read timeout) or 400. */
export function clientErrorStatus(code: string | undefined): 400 | 408 | 431 {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/** Writes an empty answer with `status` and closes the connection once it is written. */
export function answerAndClose(socket: Duplex, status: number): void {
  socket.write(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  );
  (socket as Socket).destroySoon();
}

/** The HTTP/1 responses of one entrypoint that are not finished, per connection. */
export class Http1Responses {
  /** The responses of one connection that are not finished yet, oldest first. */
  private readonly pending = new Map<object, ServerResponse[]>();
  /** Connections whose client error is being answered (node may report the same error again). */
  private readonly answered = new WeakSet<object>();

  /**
   * Records `res` as the newest response on its connection (called for every HTTP/1 request). Finished
   * responses are dropped from the front here and skipped where the list is read, rather than removed by
   * listeners of their own: node finishes the responses of a connection in order, and adding two
   * listeners and a closure to every response cost more than the request's routing (bench/README.md).
   */
  track(socket: Duplex, res: ServerResponse): void {
    let list = this.pending.get(socket);
    if (list === undefined) {
      list = [];
      this.pending.set(socket, list);
      // One list per connection, dropped with it (responses queued behind others may never finish).
      socket.once('close', () => this.pending.delete(socket));
    } else {
      let done = 0;
      while (done < list.length && isDone(list[done]!)) done++;
      if (done === list.length) list.length = 0;
      else if (done > 0) list.splice(0, done);
    }
    list.push(res);
  }

  /** The responses of `socket` still being answered, oldest first. */
  private open(socket: object): ServerResponse[] {
    return (this.pending.get(socket) ?? []).filter((res) => !isDone(res));
  }

  /**
   * Draining: the last pending response of each connection says `Connection: close` (when its head is
   * not written yet), and the connection closes after it. Earlier ones keep the connection open: the
   * requests pipelined behind them were accepted and are answered too.
   */
  closeAfterResponses(): void {
    for (const socket of this.pending.keys()) {
      const last = this.open(socket).at(-1);
      if (last !== undefined && !last.headersSent) last.shouldKeepAlive = false;
    }
  }

  /**
   * Answers a client error on `socket` once every response to an accepted, complete request is written.
   * A request whose body the error interrupted gets the error status instead of its own answer (when that
   * answer has not started; otherwise the connection is cut, the answer being incomplete anyway).
   * After a request that closes the connection (`HPE_CLOSED_CONNECTION`) nothing more is written.
   */
  answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
    this.answerAfterPending(socket, clientErrorStatus(err.code), err.code === 'HPE_CLOSED_CONNECTION');
  }

  /**
   * Writes `status` on `socket` and closes it once the responses still pending on it are written (for a
   * request no handler serves: a client error, a CONNECT). With `closing`, writes nothing: the last
   * response closes the connection.
   */
  answerAfterPending(socket: Duplex, status: number, closing = false): void {
    if (this.answered.has(socket)) return;
    this.answered.add(socket);
    const responses = this.open(socket);
    const last = responses.at(-1);
    // The request the error interrupted (its body is incomplete): it is answered with the error status.
    const interrupted = last !== undefined && !last.req.complete ? last : undefined;
    const before = interrupted === undefined ? responses : responses.slice(0, -1);
    const finish = () => {
      if (!socket.writable || socket.destroyed) return;
      if (closing) {
        // Bytes after a request that ends the connection: node closes once its answer is written.
        if (last === undefined || last.writableFinished) socket.destroy();
        return;
      }
      if (interrupted?.headersSent) {
        socket.destroy();
        return;
      }
      answerAndClose(socket, status);
    };
    if (before.length === 0) {
      finish();
      return;
    }
    let left = before.length;
    for (const res of before) {
      const one = () => {
        res.off('finish', one);
        res.off('close', one);
        left--;
        if (left === 0) setImmediate(finish);
      };
      res.once('finish', one);
      res.once('close', one);
    }
  }
}

/**
 * A response is done once it emitted `finish` or `close`, without listening for them: node detaches the
 * socket from a response when it finishes (a response queued behind another has no socket yet, but its
 * bytes wait in its own buffer, so `writableFinished` is false), and marks it destroyed when it closes.
 * `writableFinished` alone turns true as soon as the kernel took the bytes, before `finish`.
 */
function isDone(res: ServerResponse): boolean {
  return res.destroyed || (res.writableFinished && res.socket === null);
}
