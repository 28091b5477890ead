import { close, openSync, write, writeSync } from 'node:fs';
import type { Logger } from '../../core/logger.js';
import { LineBuffer } from './line-buffer.js';

/** Lines held at most while the file is slow or failing; past this new lines are dropped (and counted). */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;
/** How long the first line of a batch waits at most: without `bufferingSize`, and with it. */
export const BATCH_DELAY_MS = 100;
export const BUFFERED_DELAY_MS = 1_000;
const WARN_EVERY_MS = 10_000;

/**
 * Appends lines to a file (or stdout) without ever blocking or failing a request. Lines gather in memory
 * and go out in batches, one asynchronous write each: a batch is written once it holds 64 KiB, or
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
  private readonly queue = new LineBuffer();
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

  /** Queues one line (without its `\n`). */
  push(line: string): void {
    if (this.queue.bytes > MAX_QUEUED_BYTES) {
      this.dropped++;
      return;
    }
    this.queue.push(line);
    // A write in progress takes the next batch when it ends.
    if (this.writing) return;
    if (this.batchDue()) this.flush();
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

  /** A full chunk, or `bufferingSize` lines, are waiting. */
  private batchDue(): boolean {
    return this.queue.hasFullChunk || (this.batchLines > 0 && this.queue.lines >= this.batchLines);
  }

  private flush(): void {
    if (this.writing) return;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.queue.lines === 0) {
      if (this.reopenWanted) this.switchFile();
      for (const resolve of this.idle.splice(0)) resolve();
      return;
    }
    const { data, lines } = this.queue.take();
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
    const writeFrom = (offset: number) => {
      write(fd, data, offset, data.length - offset, null, (err, n) => {
        if (!err && offset + n < data.length) return writeFrom(offset + n);
        if (err) {
          this.dropped += lines;
          this.warn(`access log write failed, ${this.dropped} lines dropped so far: ${err.message}`);
        }
        this.writing = false;
        this.queue.release(data);
        if (switchAfter) this.switchFile();
        this.afterWrite();
      });
    };
    writeFrom(0);
  }

  /** What gathered during a write goes out now if it is due (or rotation and closing wait for it). */
  private afterWrite(): void {
    const due = this.reopenWanted || this.idle.length > 0 || this.batchDue();
    if (due || this.queue.lines === 0) this.flush();
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
    if (this.queue.lines === 0) return;
    const { data, lines } = this.queue.take();
    try {
      if (!this.path) process.stdout.write(data);
      else if (this.fd === undefined) this.dropped += lines;
      else for (let offset = 0; offset < data.length; ) offset += writeSync(this.fd, data, offset);
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
