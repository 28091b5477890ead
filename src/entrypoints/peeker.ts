import type { Socket } from 'node:net';

/** The bytes read ahead, after `release`: put back into the socket, or handed over when that is impossible. */
export interface Released {
  /** Bytes the socket could not take back (it had already ended): the consumer must use them first. */
  leftover: Buffer | undefined;
}

/**
 * Reads ahead on a paused socket without consuming: `need(n)` waits until n bytes are buffered (or the
 * peer ends), `release()` puts what was not consumed back into the socket, so that the next owner (the
 * HTTP server, a TLS socket, the TCP pipe) reads it as if nothing had happened.
 */
export class Peeker {
  private buffered: Buffer = Buffer.alloc(0);
  private ended = false;
  private waiting: { n: number; resolve: (b: Buffer) => void } | undefined;
  private listening = false;

  constructor(private readonly socket: Socket) {}

  /** The bytes read ahead so far. */
  get bytes(): Buffer {
    return this.buffered;
  }

  /** True once the peer has ended (or the socket closed) while peeking. */
  get isEnded(): boolean {
    return this.ended;
  }

  /** Resolves with the buffered bytes once at least `n` are there, or with fewer when the peer ends. */
  need(n: number): Promise<Buffer> {
    if (this.buffered.length >= n || this.ended) return Promise.resolve(this.buffered);
    return new Promise((resolve) => {
      this.waiting = { n, resolve };
      this.listen();
      this.pull();
    });
  }

  /** Drops the first `n` bytes (a PROXY header that belongs to the stage reading it). */
  consume(n: number): void {
    this.buffered = this.buffered.subarray(n);
  }

  /** Stops reading ahead and gives the unconsumed bytes back to the socket. */
  release(): Released {
    this.stopListening();
    const rest = this.buffered;
    this.buffered = Buffer.alloc(0);
    if (rest.length === 0) return { leftover: undefined };
    if (this.socket.readableEnded || this.socket.destroyed) return { leftover: rest };
    this.socket.unshift(rest);
    return { leftover: undefined };
  }

  /**
   * Stops reading ahead and hands the bytes read over instead of putting them back (for a consumer that
   * takes the first bytes as an argument, such as the TLS terminator). Undefined when the socket has ended.
   */
  take(): Buffer | undefined {
    this.stopListening();
    const rest = this.buffered;
    this.buffered = Buffer.alloc(0);
    return this.socket.readableEnded || this.socket.destroyed ? undefined : rest;
  }

  private readonly onReadable = () => this.pull();
  private readonly onEnd = () => {
    this.ended = true;
    this.settle();
  };

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    this.socket.on('readable', this.onReadable);
    this.socket.on('end', this.onEnd);
    this.socket.on('close', this.onEnd);
  }

  private stopListening(): void {
    if (!this.listening) return;
    this.listening = false;
    this.socket.off('readable', this.onReadable);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
  }

  /** Reads only while someone waits for more, so bytes past what is needed stay in the socket. */
  private pull(): void {
    while (this.waiting && this.buffered.length < this.waiting.n) {
      const chunk = this.socket.read() as Buffer | null;
      if (chunk === null) break;
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    }
    this.settle();
  }

  private settle(): void {
    const w = this.waiting;
    if (!w || (this.buffered.length < w.n && !this.ended)) return;
    this.waiting = undefined;
    w.resolve(this.buffered);
  }
}
