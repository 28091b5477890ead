import type { Logger } from '../../core/logger.js';

/** One finished span, ready for OTLP JSON. Times are nanoseconds since the epoch, as decimal strings. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind: 2 = SERVER. */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: string } }[];
  status: { code: number };
}

const MAX_BATCH = 512;
const MAX_QUEUE = 8192;

/**
 * Sends spans to an OTLP/HTTP collector as JSON (`POST <endpoint>`, `application/json`), batched every
 * `intervalMs` or every 512 spans. A collector that is down costs dropped spans, never a slower request.
 */
export class OtlpHttpExporter {
  private queue: SpanRecord[] = [];
  private readonly timer: NodeJS.Timeout;
  private sending: Promise<void> = Promise.resolve();
  dropped = 0;

  constructor(
    private readonly endpoint: string,
    private readonly headers: Record<string, string>,
    private readonly resource: Record<string, string>,
    private readonly logger: Logger,
    intervalMs = 1_000,
  ) {
    this.timer = setInterval(() => this.flush(), intervalMs);
    this.timer.unref();
  }

  add(span: SpanRecord): void {
    if (this.queue.length >= MAX_QUEUE) {
      this.dropped++;
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= MAX_BATCH) void this.flush();
  }

  flush(): Promise<void> {
    if (this.queue.length === 0) return this.sending;
    const spans = this.queue;
    this.queue = [];
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: {
            attributes: Object.entries(this.resource).map(([key, v]) => ({ key, value: { stringValue: v } })),
          },
          scopeSpans: [{ scope: { name: 'switchyard' }, spans }],
        },
      ],
    });
    this.sending = this.sending.then(() =>
      fetch(this.endpoint, {
        method: 'POST',
        headers: { ...this.headers, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(10_000),
      }).then(
        (res) => {
          if (!res.ok) this.logger.debug('OTLP export refused', { status: res.status });
          return res.body?.cancel();
        },
        (err: Error) => {
          this.dropped += spans.length;
          this.logger.debug('OTLP export failed', { error: err.message });
        },
      ),
    );
    return this.sending;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
