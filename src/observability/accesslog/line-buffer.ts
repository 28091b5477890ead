/** Bytes of one chunk: a batch is written once a chunk is full. */
export const CHUNK_BYTES = 64 * 1024;

/**
 * Lines encoded to UTF-8 into chunks as they come, each followed by `\n`: a batch goes to the file as
 * the bytes already are, without joining strings and encoding them again. A written chunk is kept for
 * reuse, so a steady load allocates no new buffers.
 */
export class LineBuffer {
  private full: Buffer[] = [];
  private current: Buffer | undefined;
  private used = 0;
  private spare: Buffer | undefined;
  /** Bytes and lines held. */
  bytes = 0;
  lines = 0;

  /** True once a chunk is full: there is a batch to write. */
  get hasFullChunk(): boolean {
    return this.full.length > 0;
  }

  push(line: string): void {
    // At most three bytes per UTF-16 unit, and the newline.
    const most = line.length * 3 + 1;
    if (this.current === undefined || this.used + most > this.current.length) {
      if (this.current !== undefined && this.used > 0) this.full.push(this.current.subarray(0, this.used));
      this.current = most <= CHUNK_BYTES ? this.chunk() : Buffer.allocUnsafe(most);
      this.used = 0;
    }
    const n = this.current.write(line, this.used);
    this.current[this.used + n] = 0x0a;
    this.used += n + 1;
    this.bytes += n + 1;
    this.lines++;
  }

  /** Everything held, as one buffer (empty when nothing is), and its line count; the buffer is emptied. */
  take(): { data: Buffer; lines: number } {
    if (this.current !== undefined && this.used > 0) this.full.push(this.current.subarray(0, this.used));
    const data = this.full.length === 1 ? this.full[0]! : Buffer.concat(this.full);
    const lines = this.lines;
    this.full = [];
    this.current = undefined;
    this.used = 0;
    this.bytes = 0;
    this.lines = 0;
    return { data, lines };
  }

  /** Hands back a written batch's memory for the next chunk. */
  release(data: Buffer): void {
    if (data.buffer.byteLength === CHUNK_BYTES && data.byteOffset === 0)
      this.spare = Buffer.from(data.buffer, 0, CHUNK_BYTES);
  }

  private chunk(): Buffer {
    const spare = this.spare;
    this.spare = undefined;
    return spare ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);
  }
}
