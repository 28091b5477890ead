import { readFile } from 'node:fs/promises';
import { errorMessage } from '../../core/errors.js';
import type { ProviderIssue } from '../contract.js';
import type { FileTree } from './merge-files.js';
import { formatOf, parseFile } from './parse-file.js';
import { readV1File } from './v1-file.js';

/** What is known about one file: its last content that parsed, and its current problem. */
interface FileState {
  lastGood?: FileTree;
  problems: ProviderIssue[];
  /** Files a Traefik v1 static file names in `[file] filename` (read along with it). */
  includes?: string[];
  /** The text last reported as converted from v1 (each content is reported once). */
  v1Text?: string;
  /**
   * The text last read, parsed or not: the same text read again (the watch's rescan after start, a touch,
   * another file of the directory changing) is not parsed again, which takes seconds for a large file.
   */
  text?: string;
}

/** Told when a Traefik v1 file was read and converted, with what did not convert exactly. */
export type V1Listener = (path: string, warnings: string[]) => void;

/** Result of reading one file. */
export type ReadOutcome = 'read' | 'missing';

/**
 * Reads configuration files and remembers, per file, the last content that parsed: a file that stops
 * parsing (a typo, a half-finished edit) keeps contributing its last good content, with an issue saying
 * where it broke; a file that never parsed contributes nothing. A file that is gone is forgotten.
 */
export class FileStore {
  private readonly files = new Map<string, FileState>();

  constructor(private readonly onV1?: V1Listener) {}

  /** Reads `path` again; 'missing' when it does not exist (then it is forgotten). */
  async read(path: string): Promise<ReadOutcome> {
    const state = this.files.get(path) ?? { problems: [] };
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        this.files.delete(path);
        return 'missing';
      }
      state.text = undefined;
      state.problems = [
        { message: `cannot read the file: ${errorMessage(err)}${keeps(state)}`, source: path },
      ];
      this.files.set(path, state);
      return 'read';
    }
    if (state.text === text) return 'read';
    state.text = text;
    const format = formatOf(path) ?? 'yaml';
    const parsed = parseFile(text, format);
    const templated = /\{\{.*?\}\}/s.test(text);
    if (parsed.ok) {
      const v1 = readV1File(parsed.file.tree, path);
      // Converted trees have no positions of their own: problems are reported against the file.
      const position = v1.v1 ? () => undefined : parsed.file.position;
      state.lastGood = { file: path, tree: v1.tree, position };
      state.includes = v1.includes;
      if (v1.v1 && state.v1Text !== text) this.onV1?.(path, v1.warnings);
      state.v1Text = v1.v1 ? text : undefined;
      state.problems = templated ? [{ message: TEMPLATE_NOTE, source: path }] : [];
      for (const { element, message } of v1.errors) state.problems.push({ message, source: path, element });
    } else {
      const { message, position } = parsed.failure;
      const hint = templated ? ' (Go templates are not supported yet)' : '';
      state.problems = [
        {
          message: `cannot parse the file as ${format.toUpperCase()}: ${message}${hint}${keeps(state)}`,
          source: position ? `${path}:${position.line}:${position.column}` : path,
        },
      ];
    }
    this.files.set(path, state);
    return 'read';
  }

  /** The files that the v1 static files among `paths` name (not already in `paths`). */
  includes(paths: readonly string[]): string[] {
    const out = new Set<string>();
    for (const path of paths) for (const inc of this.files.get(path)?.includes ?? []) out.add(inc);
    for (const path of paths) out.delete(path);
    return [...out];
  }

  /** Forgets every file not in `paths` (deleted, or no longer under the directory). */
  retain(paths: readonly string[]): void {
    const keep = new Set(paths);
    for (const path of this.files.keys()) if (!keep.has(path)) this.files.delete(path);
  }

  /** The last good trees of `paths`, in that order (files that never parsed are left out). */
  trees(paths: readonly string[]): FileTree[] {
    const out: FileTree[] = [];
    for (const path of paths) {
      const good = this.files.get(path)?.lastGood;
      if (good) out.push(good);
    }
    return out;
  }

  /** The current problems of `paths`, in that order. */
  problems(paths: readonly string[]): ProviderIssue[] {
    return paths.flatMap((path) => this.files.get(path)?.problems ?? []);
  }
}

const TEMPLATE_NOTE =
  'the file contains "{{ … }}": Traefik evaluates file configurations as Go templates, Switchyard does not ' +
  'yet, so the text is used as written';

function keeps(state: FileState): string {
  return state.lastGood
    ? '; its last good content stays in use'
    : '; it contributes nothing until it is fixed';
}
