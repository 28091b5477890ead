import { dirname } from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import type { Locate } from '../../config/dynamic/validate.js';
import { errorMessage, SwitchyardError } from '../../core/errors.js';
import { type Logger, rootLogger } from '../../core/logger.js';
import { type Provider, type ProviderIssue, type ProviderSnapshot, untilAborted } from '../contract.js';
import { listConfigFiles } from './list-files.js';
import { locate, mergeFileTrees } from './merge-files.js';
import { formatOf } from './parse-file.js';
import { FileStore } from './read-files.js';

/** Static configuration of the file provider (`providers.file`), reference §1.3. */
export interface FileProviderOptions {
  /** One file (`.yml`, `.yaml`, `.toml`, `.json`). */
  filename?: string;
  /** A directory: every such file in it and in its subdirectories. Wins over `filename`, as in Traefik. */
  directory?: string;
  /** Re-read on changes (default true). */
  watch?: boolean;
  logger?: Logger;
  /** How long (ms, default 100) a changed file must keep its size before it is read: no half-written reads. */
  settleMs?: number;
}

/** A snapshot plus where each raw path came from (see `LocatableSnapshot` in src/watcher). */
type FileSnapshot = ProviderSnapshot & { locate: Locate };

/** Changes closer together than this are read in one go (an editor's rename-and-replace is several events). */
const DEBOUNCE_MS = 25;

/**
 * The file provider: dynamic configuration from one file or a directory tree of files, re-read and
 * emitted whole on every change. Unlike Traefik, one broken file does not drop the others: it keeps its
 * last good content and is reported with `file:line:column`. Files are not Go templates here (yet).
 *
 * @example new FileProvider({ directory: '/etc/switchyard/dynamic' }).provide(emit, signal)
 */
export class FileProvider implements Provider {
  readonly name = 'file';
  private readonly store: FileStore;
  private readonly log: Logger;
  private watchProblem: ProviderIssue | undefined;
  private fsWatcher: FSWatcher | undefined;
  private readonly watchedIncludes = new Set<string>();
  /** Reads the files again, while `provide` runs. */
  private rescan: (() => Promise<void>) | undefined;

  constructor(private readonly opts: FileProviderOptions) {
    if (!opts.directory && !opts.filename) {
      throw new SwitchyardError('CONFIG_MISSING', 'providers.file needs a filename or a directory');
    }
    if (!opts.directory && opts.filename && !formatOf(opts.filename)) {
      throw new SwitchyardError(
        'CONFIG_INVALID',
        `providers.file.filename "${opts.filename}": unsupported extension (use .yml, .yaml, .toml or .json)`,
      );
    }
    this.log = (opts.logger ?? rootLogger).child({ providerName: 'file' });
    this.store = new FileStore((file, warnings) => {
      this.log.info('Traefik v1 configuration detected; converting', { file });
      for (const warning of warnings) this.log.warn(`v1 conversion: ${warning}`, { file });
    });
  }

  async provide(emit: (snapshot: ProviderSnapshot) => void, signal: AbortSignal): Promise<void> {
    let scanning: Promise<void> | undefined;
    let again = false;
    const rescan = (): Promise<void> => {
      if (scanning) {
        again = true;
        return scanning;
      }
      scanning = (async () => {
        do {
          again = false;
          const snapshot = await this.scan();
          if (!signal.aborted) emit(snapshot);
        } while (again && !signal.aborted);
      })()
        .catch((err) => this.log.error('reading the configuration failed', { error: errorMessage(err) }))
        .finally(() => {
          scanning = undefined;
        });
      return scanning;
    };

    await rescan();
    if (signal.aborted) return;
    const watcher = this.opts.watch === false ? undefined : this.startWatching(rescan);
    this.rescan = rescan;
    await untilAborted(signal);
    this.rescan = undefined;
    await watcher?.close();
    await scanning;
  }

  /** SIGHUP: reads every file again now, watched or not (an unchanged result is dropped by the watcher). */
  refresh(): void {
    if (!this.rescan) return;
    this.log.info('reading the configuration files again');
    void this.rescan();
  }

  private startWatching(rescan: () => Promise<void>): { close(): Promise<void> } {
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        void rescan();
      }, DEBOUNCE_MS);
    };
    const settle = this.opts.settleMs ?? 100;
    // A single file is watched through its directory: editors replace files by renaming, and a file that
    // does not exist yet must be noticed when it appears.
    const target = this.opts.directory ?? dirname(this.opts.filename!);
    const watcher: FSWatcher = watch(target, {
      ignoreInitial: true,
      depth: this.opts.directory ? undefined : 0,
      awaitWriteFinish: { stabilityThreshold: settle, pollInterval: Math.max(5, Math.floor(settle / 4)) },
    });
    this.fsWatcher = watcher;
    for (const dir of this.watchedIncludes) watcher.add(dir);
    watcher.on('all', schedule);
    watcher.on('ready', schedule); // anything that changed between the first read and the watch starting
    watcher.on('error', (err) => {
      this.watchProblem = {
        message: `watching for changes failed: ${errorMessage(err)}; changes may be missed`,
        source: target,
      };
      schedule();
    });
    return {
      close: async () => {
        if (timer) clearTimeout(timer);
        await watcher.close();
      },
    };
  }

  /** Reads every file and builds the whole snapshot. */
  private async scan(): Promise<FileSnapshot> {
    const issues: ProviderIssue[] = [];
    const paths = await this.currentPaths(issues);
    const present: string[] = [];
    for (const path of paths) {
      if ((await this.store.read(path)) === 'read') present.push(path);
    }
    // Files a Traefik v1 static file names (`[file] filename`): read along with it, and watched.
    for (const include of this.store.includes(present)) {
      this.watchInclude(include);
      if ((await this.store.read(include)) === 'read') present.push(include);
      else
        issues.push({ message: 'the file named by [file] filename does not exist (yet)', source: include });
    }
    this.store.retain(present);
    // The parse of a large file is one long task: let the requests waiting behind it be served before
    // the rest of the apply (merge, validation, building) starts another.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.opts.filename && !this.opts.directory && present.length === 0) {
      issues.push({
        message: 'the file does not exist (yet); it is read as soon as it appears',
        source: this.opts.filename,
      });
    }
    const merged = mergeFileTrees(this.store.trees(present));
    issues.push(...this.store.problems(present), ...merged.issues);
    if (this.watchProblem) issues.push(this.watchProblem);
    return {
      config: merged.tree,
      issues,
      locate: (path) => {
        const origin = merged.origin(path);
        return origin && locate(origin.file, origin.path);
      },
    };
  }

  private watchInclude(file: string): void {
    const dir = dirname(file);
    if (this.watchedIncludes.has(dir) || this.opts.watch === false) return;
    this.watchedIncludes.add(dir);
    this.fsWatcher?.add(dir);
  }

  private async currentPaths(issues: ProviderIssue[]): Promise<string[]> {
    const { directory, filename } = this.opts;
    if (!directory) return [filename!];
    if (filename)
      issues.push({ message: `both filename and directory are set; the directory is used (as Traefik)` });
    try {
      const listing = await listConfigFiles(directory);
      for (const u of listing.unreadable)
        issues.push({ message: `cannot read the directory: ${u.reason}`, source: u.path });
      return listing.files;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const what =
        code === 'ENOENT'
          ? 'the directory does not exist (yet)'
          : `cannot read the directory: ${errorMessage(err)}`;
      issues.push({ message: what, source: directory });
      return [];
    }
  }
}
