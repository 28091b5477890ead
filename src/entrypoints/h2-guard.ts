import http2, { type ServerHttp2Session } from 'node:http2';
import type { Logger } from '../core/logger.js';

const { NGHTTP2_ENHANCE_YOUR_CALM } = http2.constants;

/** How often the guard looks at every connection. */
const SWEEP_MS = 1_000;

interface Watched {
  /** The highest stream id node handed to the entrypoint. */
  seen: number;
  /** A stream id nghttp2 had begun but the entrypoint never got, at the previous sweep (0: none). */
  suspect: number;
}

/**
 * Closes with GOAWAY (ENHANCE_YOUR_CALM) the HTTP/2 connections whose streams node refused on its own —
 * a header list over `SETTINGS_MAX_HEADER_LIST_SIZE` or with too many fields (the HPACK bomb), a header
 * block that never ends. Node resets such a stream in C++ and tells JavaScript nothing, so the guard
 * compares, once a second, the last stream nghttp2 began (`session.state.lastProcStreamID`) with the last
 * one the entrypoint received: a stream begun and still missing a sweep later was refused (or its
 * headers have taken more than a second). The open streams finish; new ones go elsewhere.
 */
export class H2Guard {
  private readonly watched = new Map<ServerHttp2Session, Watched>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly logger: Logger) {}

  watch(session: ServerHttp2Session): void {
    const entry: Watched = { seen: 0, suspect: 0 };
    this.watched.set(session, entry);
    session.on('stream', (stream) => {
      const id = stream.id ?? 0;
      if (id > entry.seen) entry.seen = id;
    });
    session.once('close', () => {
      this.watched.delete(session);
      if (this.watched.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    });
    if (!this.timer) {
      this.timer = setInterval(() => this.sweep(), SWEEP_MS);
      this.timer.unref();
    }
  }

  private sweep(): void {
    for (const [session, entry] of this.watched) {
      if (session.closed || session.destroyed) continue;
      const begun = session.state.lastProcStreamID ?? 0;
      if (begun <= entry.seen) {
        entry.suspect = 0;
      } else if (entry.suspect !== begun) {
        entry.suspect = begun;
      } else {
        this.logger.info('HTTP/2 connection closed: a request refused for its headers', {
          client: `${session.socket?.remoteAddress}:${session.socket?.remotePort}`,
          stream: begun,
        });
        this.watched.delete(session);
        session.goaway(NGHTTP2_ENHANCE_YOUR_CALM, entry.seen);
        session.close();
      }
    }
  }
}
