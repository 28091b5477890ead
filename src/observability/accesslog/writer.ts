import { close, openSync, write } from 'node:fs';
import type { Logger } from '../../core/logger.js';

/** Lines held at most while the file is slow or failing; past this new lines are dropped (and counted). */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;
const WARN_EVERY_MS = 10_000;

/**
 * Appends lines to a file (or stdout) without ever blocking or failing a request: lines queue in memory
 * and are written asynchronously in batches. A write error (full disk, removed mount) drops that batch,
 * counts it and warns at most every ten seconds; writing resumes when the file accepts data again.
 * `reopen()` switches to a fresh file at the same path after the current batch (log rotation), so no
 * line is lost or split.
 */
export class LineWriter {
  private fd: number | undefined;
  private queue: string[] = [];
  private queuedBytes = 0;
  private writing = false;
  private scheduled = false;
  private reopenWanted = false;
  private idle: (() => void)[] = [];
  private lastWarn = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Lines lost to write errors or a full queue. */
  dropped = 0;

  constructor(
    private readonly path: string | undefined,
    private readonly logger: Logger,
    /** Lines to gather before writing (`bufferingSize`); 0 writes on the next tick. */
    private readonly batchLines: number,
  ) {
    this.fd = this.open();
    if (batchLines > 0) {
      this.timer = setInterval(() => this.flush(), 1_000);
      this.timer.unref();
    }
  }

  private open(): number | undefined {
    if (!this.path) return undefined;
    try {
      return openSync(this.path, 'a');
    } catch (err) {
      this.warn(`cannot open access log ${this.path}: ${(err as Error).message}`);
      return undefined;
    }
  }

  push(line: string): void {
    if (this.queuedBytes > MAX_QUEUED_BYTES) {
      this.dropped++;
      return;
    }
    this.queue.push(line);
    this.queuedBytes += line.length;
    if (this.batchLines > 0 && this.queue.length < this.batchLines) return;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /** Reopens the file after the batch being written (SIGUSR1 after `mv access.log access.log.1`). */
  reopen(): void {
    this.reopenWanted = true;
    this.flush();
  }

  private flush(): void {
    if (this.writing) return;
    if (this.reopenWanted) {
      this.reopenWanted = false;
      const old = this.fd;
      this.fd = this.open();
      if (old !== undefined) close(old, () => {});
    }
    if (this.queue.length === 0) {
      for (const resolve of this.idle.splice(0)) resolve();
      return;
    }
    const data = this.queue.join('');
    this.queue = [];
    this.queuedBytes = 0;
    const lines = (data.match(/\n/g) ?? []).length;
    if (!this.path) {
      process.stdout.write(data);
      this.flush();
      return;
    }
    if (this.fd === undefined) {
      this.fd = this.open();
      if (this.fd === undefined) {
        this.dropped += lines;
        this.flush();
        return;
      }
    }
    this.writing = true;
    const buf = Buffer.from(data);
    const writeFrom = (offset: number) => {
      write(this.fd!, buf, offset, buf.length - offset, null, (err, n) => {
        if (!err && offset + n < buf.length) return writeFrom(offset + n);
        if (err) {
          this.dropped += lines;
          this.warn(`access log write failed, ${this.dropped} lines dropped so far: ${err.message}`);
        }
        this.writing = false;
        this.flush();
      });
    };
    writeFrom(0);
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarn < WARN_EVERY_MS) return;
    this.lastWarn = now;
    this.logger.warn(message);
  }

  /** Writes what is queued, then closes the file. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await new Promise<void>((resolve) => {
      this.idle.push(resolve);
      this.flush();
    });
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) await new Promise<void>((resolve) => close(fd, () => resolve()));
  }
}
