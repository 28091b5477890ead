import { extname } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { PathSegment } from '../../config/schema/normalize.js';
import { loadPlainYaml } from './plain-yaml.js';
import { tomlPosition } from './toml-position.js';

/** The formats the file provider reads. Traefik reads `.yml`, `.yaml` and `.toml`; `.json` is ours. */
export type FileFormat = 'yaml' | 'toml' | 'json';

const FORMATS: Record<string, FileFormat> = {
  '.yml': 'yaml',
  '.yaml': 'yaml',
  '.toml': 'toml',
  '.json': 'json',
};

/** The format of a file by its extension (case-insensitive), or undefined for a file we do not read. */
export function formatOf(path: string): FileFormat | undefined {
  return FORMATS[extname(path).toLowerCase()];
}

/** A line and column, both from 1. */
export interface Position {
  line: number;
  column: number;
}

/** A parsed file: its tree, and a way to find where a path of that tree is written. */
export interface ParsedFile {
  tree: unknown;
  /** The position of the deepest part of `path` found in the file, if the format keeps positions. */
  position(path: readonly PathSegment[]): Position | undefined;
}

/** Why a file could not be parsed, and where. */
export interface ParseFailure {
  message: string;
  position?: Position;
}

/**
 * Parses one configuration file. YAML allows `<<` merge keys (as Traefik's YAML reader does) and rejects
 * duplicate keys; an empty or blank file is an empty configuration.
 */
export function parseFile(
  text: string,
  format: FileFormat,
): { ok: true; file: ParsedFile } | { ok: false; failure: ParseFailure } {
  if (text.trim() === '') return { ok: true, file: { tree: undefined, position: () => undefined } };
  try {
    if (format === 'toml')
      return { ok: true, file: { tree: parseToml(text), position: (p) => tomlPosition(text, p) } };
    if (format === 'json') return parseJson(text);
    return parseYaml(text);
  } catch (err) {
    return { ok: false, failure: describeError(err) };
  }
}

function parseYaml(text: string): { ok: true; file: ParsedFile } | { ok: false; failure: ParseFailure } {
  const plain = loadPlainYaml(text);
  if (plain) return { ok: true, file: { tree: plain.value, position: yamlPositions(text) } };
  return parseYamlDocument(text);
}

/**
 * Parses YAML into the `yaml` library's `Document`: the slow way, taken when the plain parse gives up (an
 * error, a duplicate key, …), for the messages and positions users see. Exported for the equivalence test.
 */
export function parseYamlDocument(
  text: string,
): { ok: true; file: ParsedFile } | { ok: false; failure: ParseFailure } {
  const lineCounter = new LineCounter();
  // The library's own duplicate-key check compares each key with every earlier one: with 10,000 routers
  // that alone took seconds. The same check is made below with a set per map.
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: true, uniqueKeys: false });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    return {
      ok: false,
      failure: { message: firstLine(error.message), position: pos && { line: pos.line, column: pos.col } },
    };
  }
  const duplicate = firstDuplicateKey(doc.contents);
  if (duplicate !== undefined) {
    const pos = lineCounter.linePos(duplicate);
    return {
      ok: false,
      failure: { message: 'Map keys must be unique', position: { line: pos.line, column: pos.col } },
    };
  }
  const tree = doc.toJS({ maxAliasCount: 1000 });
  return { ok: true, file: { tree, position: yamlPositions(text, { doc, lines: lineCounter }) } };
}

/**
 * Positions in a YAML text. The parsed document (ten times the size of the configuration it yields) is
 * built only when a position is asked for, and held weakly: problems are located while a configuration
 * is checked, then it is collected and parsed again only if a later check asks.
 */
function yamlPositions(
  text: string,
  parsedAlready?: { doc: Document; lines: LineCounter },
): ParsedFile['position'] {
  let held = parsedAlready && new WeakRef(parsedAlready);
  return (path) => {
    let parsed = held?.deref();
    if (!parsed) {
      const counter = new LineCounter();
      parsed = { doc: parseDocument(text, { lineCounter: counter, merge: true }), lines: counter };
      held = new WeakRef(parsed);
    }
    return nodePosition(parsed.doc.contents, path, parsed.lines);
  };
}

/** JSON is parsed as JSON; positions (of problems and of paths) come from reading it as YAML, its superset. */
function parseJson(text: string): { ok: true; file: ParsedFile } | { ok: false; failure: ParseFailure } {
  let tree: unknown;
  try {
    tree = JSON.parse(text);
  } catch (err) {
    const asYaml = parseYaml(text);
    const position = asYaml.ok ? undefined : asYaml.failure.position;
    return { ok: false, failure: { message: describeError(err).message, ...(position && { position }) } };
  }
  let located: ParsedFile | undefined;
  const position = (path: readonly PathSegment[]) => {
    if (!located) {
      const asYaml = parseYaml(text);
      located = asYaml.ok ? asYaml.file : { tree, position: () => undefined };
    }
    return located.position(path);
  };
  return { ok: true, file: { tree, position } };
}

/**
 * The offset of the first key repeated in one of the document's maps (scalar keys compared by value, as
 * the YAML library does; `<<` merge keys may repeat), or undefined.
 */
function firstDuplicateKey(root: unknown): number | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && key.value !== '<<') {
          if (seen.has(key.value)) return key.range?.[0] ?? 0;
          seen.add(key.value);
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return undefined;
}

/**
 * Walks the YAML nodes along `path`. Keys match exactly first, then case-insensitively (section and kind
 * keys may be spelt differently in the file than in the merged tree). Stops at the deepest node found.
 */
function nodePosition(root: unknown, path: readonly PathSegment[], lines: LineCounter): Position | undefined {
  let node = root as Node | null;
  let offset = (node as Node | null)?.range?.[0];
  for (const segment of path) {
    if (isMap(node)) {
      const pairs = node.items;
      const keyOf = (p: (typeof pairs)[number]) => String(isScalar(p.key) ? p.key.value : p.key);
      const wanted = String(segment);
      const pair =
        pairs.find((p) => keyOf(p) === wanted) ??
        pairs.find((p) => keyOf(p).toLowerCase() === wanted.toLowerCase());
      if (!pair) break;
      offset = (pair.key as Node | null)?.range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  if (offset === undefined) return undefined;
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function describeError(err: unknown): ParseFailure {
  const e = err as { message?: unknown; line?: unknown; column?: unknown };
  const message = typeof e?.message === 'string' ? firstLine(e.message) : String(err);
  if (typeof e?.line === 'number' && typeof e.column === 'number') {
    return { message, position: { line: e.line, column: e.column } };
  }
  return { message };
}

/** The first line of a parser message, without the position it repeats (we report it ourselves). */
function firstLine(message: string): string {
  return message
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?$/, '')
    .replace(/^Invalid TOML document: /, '')
    .trim();
}
