import type { PathSegment } from '../../config/schema/normalize.js';
import type { Position } from './parse-file.js';

/**
 * Where a path is written in a TOML text, found from the text itself (the TOML parser keeps no positions):
 * the longest leading part of the path written as a table header (`[http.routers.api]`, `[[…]]`), then
 * the next key assigned inside that table (`rule = …`). Keys compare case-insensitively, quotes ignored.
 * Paths written as dotted keys or inline tables are not found: the caller then reports the file alone.
 */
export function tomlPosition(text: string, path: readonly PathSegment[]): Position | undefined {
  const lines = text.split('\n');
  const keys = path.filter((s): s is string => typeof s === 'string').map(plain);
  for (let n = keys.length; n > 0; n--) {
    const wanted = keys.slice(0, n).join('.');
    const start = lines.findIndex((line) => headerOf(line) === wanted);
    if (start === -1) continue;
    const next = keys[n];
    if (next !== undefined) {
      for (let i = start + 1; i < lines.length && headerOf(lines[i]!) === undefined; i++) {
        const match = /^(\s*)("?)([^"=\s]+)\2\s*=/.exec(lines[i]!);
        if (match && plain(match[3]!) === next) return { line: i + 1, column: match[1]!.length + 1 };
      }
    }
    return { line: start + 1, column: lines[start]!.indexOf('[') + 1 };
  }
  return undefined;
}

/** The dotted name of a `[table]` or `[[array.table]]` header line, normalized; undefined for other lines. */
function headerOf(line: string): string | undefined {
  const match = /^\s*\[\[?([^\]]+)\]\]?\s*(#.*)?$/.exec(line);
  if (!match) return undefined;
  return match[1]!
    .split('.')
    .map((part) => plain(part.trim()))
    .join('.');
}

function plain(key: string): string {
  return key.replace(/^["']|["']$/g, '').toLowerCase();
}
