import { readFile } from 'node:fs/promises';
import { errorMessage } from '../../core/errors.js';
import type { ProviderIssue } from '../contract.js';
import type { FileTree } from './merge-files.js';
import { formatOf, parseFile } from './parse-file.js';

/** What is known about one file: its last content that parsed, and its current problem. */
interface FileState {
  lastGood?: FileTree;
  problems: ProviderIssue[];
}

/** Result of reading one file. */
export type ReadOutcome = 'read' | 'missing';

/**
 * Reads configuration files and remembers, per file, the last content that parsed: a file that stops
 * parsing (a typo, a half-finished edit) keeps contributing its last good content, with an issue saying
 * where it broke; a file that never parsed contributes nothing. A file that is gone is forgotten.
 */
export class FileStore {
  private readonly files = new Map<string, FileState>();

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
      state.problems = [
        { message: `cannot read the file: ${errorMessage(err)}${keeps(state)}`, source: path },
      ];
      this.files.set(path, state);
      return 'read';
    }
    const format = formatOf(path) ?? 'yaml';
    const parsed = parseFile(text, format);
    const templated = /\{\{.*?\}\}/s.test(text);
    if (parsed.ok) {
      state.lastGood = { file: path, tree: parsed.file.tree, position: parsed.file.position };
      state.problems = templated ? [{ message: TEMPLATE_NOTE, source: path }] : [];
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
