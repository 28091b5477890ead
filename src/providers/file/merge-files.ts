import { isDeepStrictEqual } from 'node:util';
import { SECTION_KINDS } from '../../config/dynamic/validate-keys.js';
import { describeValue, isPlainObject } from '../../config/schema/describe.js';
import type { PathSegment } from '../../config/schema/normalize.js';
import { STATIC_SECTIONS } from '../../config/static/schema.js';
import type { ProviderIssue } from '../contract.js';
import type { Position } from './parse-file.js';

/** One file's configuration tree, in the order files are merged. */
export interface FileTree {
  file: string;
  tree: unknown;
  position(path: readonly PathSegment[]): Position | undefined;
}

/** Where a path of the merged tree was written: the file, and the path inside that file. */
export interface Origin {
  file: FileTree;
  path: PathSegment[];
}

/** The files merged into one raw tree, the conflicts found, and a way back to the files. */
export interface MergedFiles {
  tree: Record<string, unknown>;
  issues: ProviderIssue[];
  origin(path: readonly PathSegment[]): Origin | undefined;
}

/**
 * Merges the files' trees into one raw dynamic configuration. Section and kind keys are matched
 * case-insensitively and written in canonical spelling; unknown keys pass through as written (first file
 * wins) for the validator to report, except the static configuration's top-level sections (`entryPoints`,
 * `providers` …), skipped as Traefik does, so one file can hold both halves. An element defined in two files: identical definitions are fine;
 * different ones keep the first file's (as Traefik does) with an issue naming both files.
 * `tls.certificates` lists are concatenated.
 */
export function mergeFileTrees(files: readonly FileTree[]): MergedFiles {
  const tree: Record<string, unknown> = {};
  const issues: ProviderIssue[] = [];
  const owners = new Map<string, FileTree>();
  const certificates: { file: FileTree; index: number }[] = [];
  const where = (f: FileTree, path: PathSegment[]) => locate(f, path);

  for (const f of files) {
    if (f.tree === undefined || f.tree === null) continue;
    if (!isPlainObject(f.tree)) {
      issues.push({
        message: `the file must hold a mapping (http, tcp, udp, tls), got ${describeValue(f.tree)}; it is ignored`,
        source: where(f, []),
      });
      continue;
    }
    for (const [rawSection, sectionValue] of Object.entries(f.tree)) {
      const section = canonical(rawSection, Object.keys(SECTION_KINDS));
      if (!section) {
        // Static sections in a file that is also the static configuration file, as Traefik allows.
        if (canonical(rawSection, STATIC_SECTIONS)) continue;
        claim(tree, rawSection, sectionValue, [rawSection], f, owners);
        continue;
      }
      if (sectionValue === null || sectionValue === undefined) continue;
      if (!isPlainObject(sectionValue)) {
        issues.push({
          message: `"${section}" must be a mapping, got ${describeValue(sectionValue)}; it is ignored`,
          source: where(f, [rawSection]),
        });
        continue;
      }
      const target = slot(tree, section, () => ({}) as Record<string, unknown>);
      for (const [rawKind, kindValue] of Object.entries(sectionValue)) {
        const kind = canonical(rawKind, SECTION_KINDS[section]!);
        if (!kind) {
          claim(target, rawKind, kindValue, [section, rawKind], f, owners);
          continue;
        }
        if (kindValue === null || kindValue === undefined) continue;
        const at = [section, kind];
        if (kind === 'certificates' && Array.isArray(kindValue)) {
          const list = slot(target, kind, () => [] as unknown[]);
          kindValue.forEach((cert, index) => {
            list.push(cert);
            certificates.push({ file: f, index });
          });
          continue;
        }
        if (kind === 'certificates' || !isPlainObject(kindValue)) {
          const expected = kind === 'certificates' ? 'a list' : 'a mapping of names';
          issues.push({
            message: `"${at.join('.')}" must be ${expected}, got ${describeValue(kindValue)}; it is ignored`,
            source: where(f, at),
          });
          continue;
        }
        const elements = slot(target, kind, () => ({}) as Record<string, unknown>);
        for (const [name, element] of Object.entries(kindValue)) {
          const key = [...at, name];
          const first = owners.get(JSON.stringify(key));
          if (!first) {
            elements[name] = element;
            owners.set(JSON.stringify(key), f);
          } else if (!isDeepStrictEqual(elements[name], element)) {
            issues.push({
              message: `"${key.join('.')}" is defined in both ${first.file} and ${f.file} with different content; the definition in ${first.file} (read first) is used`,
              source: where(f, key),
            });
          }
        }
      }
    }
  }

  const origin = (path: readonly PathSegment[]): Origin | undefined => {
    if (path[0] === 'tls' && path[1] === 'certificates' && path.length > 2) {
      const cert = certificates[Number(path[2])];
      return cert && { file: cert.file, path: ['tls', 'certificates', cert.index, ...path.slice(3)] };
    }
    for (let n = Math.min(path.length, 3); n > 0; n--) {
      const owner = owners.get(JSON.stringify(path.slice(0, n)));
      if (owner) return { file: owner, path: [...path] };
    }
    return undefined;
  };
  return { tree, issues, origin };
}

/** `file:line:column`, or just the file when the position is unknown. */
export function locate(f: FileTree, path: readonly PathSegment[]): string {
  const pos = f.position(path);
  return pos ? `${f.file}:${pos.line}:${pos.column}` : f.file;
}

/** `target[key]`, created by `make` when absent. */
function slot<T>(target: Record<string, unknown>, key: string, make: () => T): T {
  if (target[key] === undefined) target[key] = make();
  return target[key] as T;
}

function canonical(raw: string, known: readonly string[]): string | undefined {
  return known.find((k) => k.toLowerCase() === raw.toLowerCase());
}

/** An unknown key, kept as written from the first file that has it, for the validator to report. */
function claim(
  target: Record<string, unknown>,
  key: string,
  value: unknown,
  path: PathSegment[],
  f: FileTree,
  owners: Map<string, FileTree>,
): void {
  if (key in target) return;
  target[key] = value;
  owners.set(JSON.stringify(path), f);
}
