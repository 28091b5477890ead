import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isV1Dynamic, isV1Static } from '../../config/v1/detect.js';
import {
  convertV1Dynamic,
  convertV1Static,
  type V1ElementError,
  v1StrictSlash,
} from '../../config/v1/index.js';

/** A file's tree after v1 conversion (when it was v1), the other files it names, and the warnings. */
export interface V1FileResult {
  tree: unknown;
  v1: boolean;
  /** Absolute paths of v1 dynamic files a v1 static file names in `[file] filename`. */
  includes: string[];
  warnings: string[];
  /** Frontends Traefik 1.7 refuses: one disabled router each. */
  errors: V1ElementError[];
}

/**
 * Reads Traefik v1 files: a v1 dynamic file (`[backends]`/`[frontends]`) converts through the v1
 * converter; a v1 static file gives the dynamic configuration it implies (entrypoint certificates and
 * middlewares, inline `[backends]`/`[frontends]`) and names its `[file] filename` as an include — or, when
 * that names the static file itself, its own `[backends]`/`[frontends]` are used. v1 resolved a relative
 * `filename` against the working directory; the static file's directory is tried next.
 */
export function readV1File(tree: unknown, path: string): V1FileResult {
  if (isV1Static(tree)) {
    const converted = convertV1Static(tree);
    const warnings = [...converted.warnings];
    const errors = [...converted.errors];
    let dynamic: unknown = converted.dynamic ?? {};
    const includes: string[] = [];
    const named = fileSection(tree);
    if (named) {
      const target = resolveNamed(named, path);
      if (target === resolve(path)) {
        const inline = convertV1Dynamic(tree, { strictSlash: v1StrictSlash(tree) });
        warnings.push(...inline.warnings);
        errors.push(...inline.errors);
        dynamic = mergeTrees(dynamic, inline.config);
      } else {
        includes.push(target);
      }
    }
    return { tree: dynamic, v1: true, includes, warnings, errors };
  }
  if (isV1Dynamic(tree)) {
    const converted = convertV1Dynamic(tree, { provider: 'file' });
    const { config, warnings, errors } = converted;
    return { tree: config, v1: true, includes: [], warnings, errors };
  }
  return { tree, v1: false, includes: [], warnings: [], errors: [] };
}

function fileSection(tree: unknown): string | undefined {
  const obj = tree as Record<string, unknown>;
  const key = Object.keys(obj).find((k) => k.toLowerCase() === 'file');
  const file = key === undefined ? undefined : (obj[key] as Record<string, unknown> | undefined);
  if (!file || typeof file !== 'object') return undefined;
  const nameKey = Object.keys(file).find((k) => k.toLowerCase() === 'filename');
  const value = nameKey === undefined ? undefined : file[nameKey];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function resolveNamed(name: string, staticFile: string): string {
  const fromCwd = resolve(process.cwd(), name);
  if (existsSync(fromCwd)) return fromCwd;
  return resolve(dirname(resolve(staticFile)), name);
}

/** Deep merge of two raw trees: tables merged, lists concatenated, `b` wins for scalars. */
function mergeTrees(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (isTable(a) && isTable(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? mergeTrees(out[k], v) : v;
    return out;
  }
  return b === undefined ? a : b;
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
