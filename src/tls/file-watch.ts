import { createHash } from 'node:crypto';
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/**
 * Watches the certificate, key and CA files a configuration names, so that a file replaced on disk (by
 * certbot, cert-manager, a deploy script) is picked up without a configuration change. It watches the
 * directories, not the files: a file replaced by rename, or a Kubernetes-style symlink swap, is a new inode
 * that a watch on the old file would never report. Any event in a directory re-reads the watched files and
 * calls `onChange` only when their content differs from what was last loaded.
 *
 * @example
 *   const watcher = new TlsFileWatcher(() => reapply(), logger);
 *   watcher.update(generation.tls.generation.files); // after each generation
 */
export class TlsFileWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private files: readonly string[] = [];
  private digest = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly onChange: () => void,
    private readonly logger: Logger,
    private readonly debounceMs = 100,
  ) {}

  /** Sets the files to watch (the ones the generation just read) and records their content. */
  update(files: readonly string[]): void {
    this.files = files.map((f) => resolve(f));
    this.digest = this.contentDigest();
    const dirs = new Set(this.files.map((f) => dirname(f)));
    for (const [dir, w] of this.watchers) {
      if (dirs.has(dir)) continue;
      w.close();
      this.watchers.delete(dir);
    }
    for (const dir of dirs) {
      if (this.watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, () => this.schedule());
        w.on('error', (err) =>
          this.logger.debug('certificate directory watch failed', { dir, error: err.message }),
        );
        this.watchers.set(dir, w);
      } catch (err) {
        // A missing directory: the certificate error is reported by the generation already.
        this.logger.debug('cannot watch certificate directory', { dir, error: errorMessage(err) });
      }
    }
  }

  close(): void {
    clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), this.debounceMs);
    this.timer.unref();
  }

  private check(): void {
    const now = this.contentDigest();
    if (now === this.digest) return;
    this.digest = now;
    this.logger.info('certificate files changed on disk; reloading TLS');
    this.onChange();
  }

  private contentDigest(): string {
    const hash = createHash('sha256');
    for (const file of this.files) {
      hash.update(file).update('\0');
      try {
        hash.update(readFileSync(file));
      } catch (err) {
        hash.update(`unreadable: ${(err as NodeJS.ErrnoException).code ?? ''}`);
      }
      hash.update('\0');
    }
    return hash.digest('hex');
  }
}
