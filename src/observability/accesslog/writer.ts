import { close, openSync, write, writeSync } from 'node:fs';
import type { Logger } from '../../core/logger.js';

/** Lines held at most while the file is slow or failing; past this new lines are dropped (and counted). */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;
/** A batch this large is written at once, whatever `bufferingSize` says. */
export const BATCH_BYTES = 64 * 1024;
/** How long the first line of a batch waits at most: without `bufferingSize`, and with it. */
export const BATCH_DELAY_MS = 100;
export const BUFFERED_DELAY_MS = 1_000;
const WARN_EVERY_MS = 10_000;

/**
 * Appends lines to a file (or stdout) without ever blocking or failing a request. Lines gather in memory
 * and go out in batches, one asynchronous write each: a batch is written once it holds `BATCH_BYTES`, or
 * `bufferingSize` lines when that is set, or when its first line has waited `BATCH_DELAY_MS`
 * (`BUFFERED_DELAY_MS` with `bufferingSize`). Under load that is one write per 64 KiB instead of one per
 * event-loop turn: each write is a trip through libuv's thread pool, which costs the proxy's core more
 * than the bytes do.
 *
 * A write error (full disk, removed mount) drops that batch, counts it and warns at most every ten
 * seconds; writing resumes when the file accepts data again. `reopen()` writes the lines queued so far to
 * the current file, then switches to a fresh one at the same path (log rotation), so no line is lost or
 * split and the lines of requests that ended before the rotation stay in the old file. `close()` writes everything first; a process that exits without closing (`process.exit`)
 * writes what is still queued synchronously on its way out.
 */
export class LineWriter {
  private fd: number | undefined;
  private queue: string[] = [];
  private queuedLines = 0;
  private queuedBytes = 0;
  private writing = false;
  private reopenWanted = false;
  private idle: (() => void)[] = [];
  private lastWarn = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly delayMs: number;
  private readonly onExit = () => this.flushSync();
  /** Lines lost to write errors or a full queue. */
  dropped = 0;

  constructor(
    private readonly path: string | undefined,
    private readonly logger: Logger,
    /** Lines to gather before writing (`bufferingSize`); 0: by size and delay only. */
    private readonly batchLines: number,
  ) {
    this.delayMs = batchLines > 0 ? BUFFERED_DELAY_MS : BATCH_DELAY_MS;
    this.fd = this.open();
    process.on('exit', this.onExit);
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

  /** Queues one line (ending in `\n`). */
  push(line: string): void {
    if (this.queuedBytes > MAX_QUEUED_BYTES) {
      this.dropped++;
      return;
    }
    this.queue.push(line);
    this.queuedLines++;
    this.queuedBytes += line.length;
    // A write in progress takes the next batch when it ends.
    if (this.writing) return;
    if (this.queuedBytes >= BATCH_BYTES || (this.batchLines > 0 && this.queuedLines >= this.batchLines))
      this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(this.onTimer, this.delayMs);
      this.timer.unref();
    }
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.flush();
  };

  /** Writes the queued lines to the current file, then reopens it (SIGUSR1 after `mv access.log access.log.1`). */
  reopen(): void {
    this.reopenWanted = true;
    this.flush();
  }

  /** Takes the queued lines as one batch. */
  private take(): { data: string; lines: number } {
    const data = this.queue.length === 1 ? this.queue[0]! : this.queue.join('');
    const lines = this.queuedLines;
    this.queue = [];
    this.queuedLines = 0;
    this.queuedBytes = 0;
    return { data, lines };
  }

  private flush(): void {
    if (this.writing) return;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.queue.length === 0) {
      if (this.reopenWanted) this.switchFile();
      for (const resolve of this.idle.splice(0)) resolve();
      return;
    }
    const { data, lines } = this.take();
    if (!this.path) {
      process.stdout.write(data);
      this.flush();
      return;
    }
    if (this.fd === undefined) this.fd = this.open();
    if (this.fd === undefined) {
      this.dropped += lines;
      this.flush();
      return;
    }
    this.writing = true;
    // Rotation: the lines queued until now go to the old file, the file is switched after this write.
    const switchAfter = this.reopenWanted;
    this.reopenWanted = false;
    const fd = this.fd;
    const buf = Buffer.from(data);
    const writeFrom = (offset: number) => {
      write(fd, buf, offset, buf.length - offset, null, (err, n) => {
        if (!err && offset + n < buf.length) return writeFrom(offset + n);
        if (err) {
          this.dropped += lines;
          this.warn(`access log write failed, ${this.dropped} lines dropped so far: ${err.message}`);
        }
        this.writing = false;
        if (switchAfter) this.switchFile();
        this.afterWrite();
      });
    };
    writeFrom(0);
  }

  /** What gathered during a write goes out now if it is due (or rotation and closing wait for it). */
  private afterWrite(): void {
    const due =
      this.reopenWanted ||
      this.idle.length > 0 ||
      this.queuedBytes >= BATCH_BYTES ||
      (this.batchLines > 0 && this.queuedLines >= this.batchLines);
    if (due || this.queue.length === 0) this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(this.onTimer, this.delayMs);
      this.timer.unref();
    }
  }

  private switchFile(): void {
    this.reopenWanted = false;
    const old = this.fd;
    this.fd = this.open();
    if (old !== undefined) close(old, () => {});
  }

  /** On `process.exit` without `close()`: the queued lines, written synchronously. */
  private flushSync(): void {
    if (this.queue.length === 0) return;
    const { data, lines } = this.take();
    try {
      if (!this.path) process.stdout.write(data);
      else if (this.fd === undefined) this.dropped += lines;
      else {
        const buf = Buffer.from(data);
        for (let offset = 0; offset < buf.length; ) offset += writeSync(this.fd, buf, offset);
      }
    } catch {
      this.dropped += lines;
    }
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarn < WARN_EVERY_MS) return;
    this.lastWarn = now;
    this.logger.warn(message);
  }

  /** Writes what is queued, then closes the file. */
  async close(): Promise<void> {
    process.off('exit', this.onExit);
    await new Promise<void>((resolve) => {
      this.idle.push(resolve);
      this.flush();
    });
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) await new Promise<void>((resolve) => close(fd, () => resolve()));
  }
}
