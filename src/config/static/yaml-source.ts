import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { errorMessage } from '../../core/errors.js';
import { isPlainObject } from '../schema/describe.js';
import type { PathSegment } from '../schema/normalize.js';
import { PathIndex } from './path-index.js';
import type { SourceResult } from './source.js';

/**
 * Parses YAML configuration text. Syntax errors come back as issues with `label:line:column`; every key and
 * list item is indexed by path so that later issues can say `label:line`. Merge keys (`<<`) are honoured.
 */
export function parseYamlSource(text: string, label: string): SourceResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((err) => {
      const pos = lineCounter.linePos(err.pos[0]);
      const message = err.message.split('\n')[0]!;
      return { path: '', message, source: `${label}:${pos.line}:${pos.col}`, code: 'CONFIG_PARSE' as const };
    });
    return { issues };
  }
  let tree: unknown;
  try {
    // Throws on an alias without its anchor, or too many alias expansions (a "billion laughs" file).
    tree = doc.toJS({ maxAliasCount: 1000 }) ?? {};
  } catch (err) {
    return { issues: [{ path: '', message: errorMessage(err), source: label, code: 'CONFIG_PARSE' }] };
  }
  if (!isPlainObject(tree)) {
    return {
      issues: [
        { path: '', message: 'the document must be a mapping of keys', source: label, code: 'CONFIG_PARSE' },
      ],
    };
  }
  const lines = new PathIndex<number>();
  indexNode(doc.contents as Node | null, [], lines, lineCounter);
  const locate = (path: readonly PathSegment[]) => {
    const line = lines.find(path);
    return line === undefined ? label : `${label}:${line}`;
  };
  return { source: { tree, locate }, issues: [] };
}

function indexNode(node: Node | null, path: PathSegment[], lines: PathIndex<number>, lc: LineCounter): void {
  if (!node || isAlias(node)) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const at = [...path, key];
      const start = keyNode?.range?.[0] ?? (pair.value as Node | null)?.range?.[0];
      if (start !== undefined) lines.setFirst(at, lc.linePos(start).line);
      indexNode(pair.value as Node | null, at, lines, lc);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const at = [...path, i];
      const start = (item as Node | null)?.range?.[0];
      if (start !== undefined) lines.setFirst(at, lc.linePos(start).line);
      indexNode(item as Node | null, at, lines, lc);
    });
  }
}
