import { parse, TomlError } from 'smol-toml';
import type { PathSegment } from '../schema/normalize.js';
import { PathIndex } from './path-index.js';
import type { SourceResult } from './source.js';

/**
 * Parses TOML configuration text. Syntax errors come back as issues with `label:line:column`. Line numbers
 * for later issues come from a light scan of table headers and `key =` lines (enough for configuration
 * files; keys inside inline tables fall back to the line of their table).
 */
export function parseTomlSource(text: string, label: string): SourceResult {
  let tree: Record<string, unknown>;
  try {
    tree = parse(text) as Record<string, unknown>;
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    const message = err.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    return {
      issues: [{ path: '', message, source: `${label}:${err.line}:${err.column}`, code: 'CONFIG_PARSE' }],
    };
  }
  const lines = scanTomlLines(text);
  const locate = (path: readonly PathSegment[]) => {
    const line = lines.find(path);
    return line === undefined ? label : `${label}:${line}`;
  };
  return { source: { tree, locate }, issues: [] };
}

/** Maps paths to the line where they are written, from `[table]`, `[[array]]` and `key = …` lines. */
export function scanTomlLines(text: string): PathIndex<number> {
  const index = new PathIndex<number>();
  const arrayCounts = new Map<string, number>();
  let table: string[] = [];
  let inMultiline: string | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (inMultiline) {
      if (raw.includes(inMultiline)) inMultiline = undefined;
      return;
    }
    const arrayHeader = /^\s*\[\[(.+?)\]\]/.exec(raw);
    const tableHeader = arrayHeader ? null : /^\s*\[(.+?)\]\s*(#.*)?$/.exec(raw);
    if (arrayHeader) {
      const base = resolve(splitTomlKey(arrayHeader[1]!), arrayCounts);
      const key = base.join('.').toLowerCase();
      const n = arrayCounts.get(key) ?? 0;
      arrayCounts.set(key, n + 1);
      index.setFirst(base, line);
      table = [...base, String(n)];
      index.setFirst(table, line);
    } else if (tableHeader) {
      table = resolve(splitTomlKey(tableHeader[1]!), arrayCounts);
      index.setFirst(table, line);
    } else {
      const assignment = /^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_.\- ])+?)\s*=(.*)$/.exec(raw);
      if (!assignment) return;
      index.setFirst([...table, ...splitTomlKey(assignment[1]!)], line);
      const rest = assignment[2]!.trim();
      const quote = rest.startsWith('"""') ? '"""' : rest.startsWith("'''") ? "'''" : undefined;
      if (quote && !rest.slice(3).includes(quote)) inMultiline = quote;
    }
  });
  return index;
}

/** Inserts the current index after each prefix that is an array of tables: `a.b` → `a.<n>.b`. */
function resolve(segments: string[], arrayCounts: Map<string, number>): string[] {
  const out: string[] = [];
  segments.forEach((segment, i) => {
    out.push(segment);
    const count = arrayCounts.get(out.join('.').toLowerCase());
    if (count !== undefined && i < segments.length - 1) out.push(String(count - 1));
  });
  return out;
}

/** Splits a TOML key on dots outside quotes and removes the quotes. */
function splitTomlKey(key: string): string[] {
  const parts = key.match(/"[^"]*"|'[^']*'|[^.]+/g) ?? [];
  return parts.map((p) => p.trim()).map((p) => (/^(".*"|'.*')$/.test(p) ? p.slice(1, -1) : p));
}
