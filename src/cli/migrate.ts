import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  convertV1Dynamic,
  convertV1Static,
  isV1Dynamic,
  isV1Static,
  type V1ElementError,
  v1StrictSlash,
  whyNotV1,
} from '../config/v1/index.js';
import { subTable } from '../config/v1/v1-tree.js';
import { errorMessage } from '../core/errors.js';

/** `switchyard migrate --help`. */
export const MIGRATE_HELP = `usage: switchyard migrate <traefik-v1.toml> [--format=yaml|toml] [--out-dir=DIR [--force]]

Converts a Traefik 1.x file (a static traefik.toml, with the dynamic file its [file] section names or
its inline [backends]/[frontends], or a v1 dynamic file alone) into v3 configuration. Routers keep
Traefik 1.7's order as explicit priorities; each setting without an exact equivalent is a comment.

  --format=yaml|toml  output format (default: yaml)
  --out-dir=DIR       write DIR/switchyard.<ext> (static) and DIR/dynamic.<ext> (dynamic; the static
                      file's providers.file.filename names it) instead of printing both
  --force             overwrite files that already exist in --out-dir
  -h, --help          this help

Exit codes: 0 converted; 1 converted, but frontends Traefik 1.7 refuses too (an unknown rule matcher …)
were left out, listed on stderr; 2 bad usage, or the file is not a Traefik v1 configuration.`;

const USAGE = MIGRATE_HELP.slice(0, MIGRATE_HELP.indexOf('\n'));

type Format = 'yaml' | 'toml';

interface MigrateArgs {
  file?: string;
  format: Format;
  outDir?: string;
  force: boolean;
  help: boolean;
  error?: string;
}

function parseMigrateArgs(args: string[]): MigrateArgs {
  const parsed: MigrateArgs = { format: 'yaml', force: false, help: false };
  let format = 'yaml';
  const value = (a: string, name: string, i: number): [string, number] =>
    a === name ? [args[i + 1] ?? '', i + 1] : [a.slice(name.length + 1), i];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--help' || a === '-h') parsed.help = true;
    else if (a === '--force') parsed.force = true;
    else if (a === '--format' || a.startsWith('--format=')) [format, i] = value(a, '--format', i);
    else if (a === '--out-dir' || a.startsWith('--out-dir=')) {
      [parsed.outDir, i] = value(a, '--out-dir', i);
      if (parsed.outDir === '') return { ...parsed, error: '--out-dir needs a directory' };
    } else if (a.startsWith('-')) return { ...parsed, error: `unknown option "${a}"` };
    else if (parsed.file === undefined) parsed.file = a;
    else return { ...parsed, error: `unexpected argument "${a}"` };
  }
  if (parsed.help) return parsed;
  if (format !== 'yaml' && format !== 'toml') return { ...parsed, error: `unknown format "${format}"` };
  parsed.format = format;
  if (parsed.force && parsed.outDir === undefined) return { ...parsed, error: '--force goes with --out-dir' };
  return parsed.file === undefined ? { ...parsed, error: 'no file given' } : parsed;
}

function readToml(path: string): unknown {
  return parseToml(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
}

/** Why a file that does not parse as TOML is not a v1 file: v1 is TOML; a YAML file is likely v2/v3. */
function notTomlReason(path: string, tomlError: unknown): string {
  let yaml: unknown;
  try {
    yaml = parseYaml(readFileSync(path, 'utf8'));
  } catch {
    yaml = undefined;
  }
  const isYamlName = ['.yml', '.yaml'].includes(extname(path).toLowerCase());
  if ((isYamlName || (yaml !== null && typeof yaml === 'object')) && yaml !== undefined)
    return `Traefik v1 configuration is TOML and this is YAML; ${whyNotV1(yaml)}`;
  return `it does not parse as TOML, the format of Traefik v1 files (${errorMessage(tomlError)})`;
}

/** The v1 dynamic file a v1 static file's `[file] filename` names (cwd first, as v1, then beside it). */
function namedDynamicFile(tree: unknown, staticFile: string): string | undefined {
  const file = Object.entries(tree as Record<string, unknown>).find(([k]) => k.toLowerCase() === 'file')?.[1];
  if (!file || typeof file !== 'object') return undefined;
  const name = Object.entries(file).find(([k]) => k.toLowerCase() === 'filename')?.[1];
  if (typeof name !== 'string' || name === '') return undefined;
  const fromCwd = resolve(name);
  return existsSync(fromCwd) ? fromCwd : resolve(dirname(staticFile), name);
}

function render(value: unknown, format: Format): string {
  if (format === 'toml') return `${stringifyToml(value as Record<string, unknown>)}\n`;
  return stringifyYaml(value, { lineWidth: 0 });
}

function comments(lines: string[]): string {
  return lines.map((l) => `# ${l}\n`).join('');
}

/** One output document: its title comment, what has no exact equivalent, and its tree. */
interface Part {
  title: string;
  /** Frontends left out, as Traefik 1.7 refuses them too. */
  refused?: string[];
  notes: string[];
  tree: Record<string, unknown>;
}

function renderPart(part: Part, format: Format): string {
  const head = [part.title];
  const list = (title: string, lines: string[] = []) => {
    if (lines.length > 0) head.push(title, ...lines.map((w) => `  - ${w}`));
  };
  list('Left out (Traefik 1.7 refuses these frontends too):', part.refused);
  list('No exact equivalent (review these):', part.notes);
  const empty = Object.keys(part.tree).length === 0;
  return comments(head) + (empty ? (format === 'yaml' ? '{}\n' : '') : render(part.tree, format));
}

/** The conversion of a v1 file: a static part (absent for a v1 dynamic file alone) and a dynamic one. */
interface Migration {
  static?: { tree: Record<string, unknown>; warnings: string[] };
  dynamic: { tree: Record<string, unknown>; warnings: string[] };
  errors: V1ElementError[];
}

function convertStatic(tree: unknown, path: string, dynamicFile: string): Migration {
  const converted = convertV1Static(tree);
  const warnings = [...converted.warnings];
  const errors = [...converted.errors];
  let dynamic: Record<string, unknown> = (converted.dynamic as Record<string, unknown>) ?? {};
  const dynamicWarnings: string[] = [];
  const named = namedDynamicFile(tree, path);
  if (named) {
    try {
      const inline = convertV1Dynamic(named === path ? tree : readToml(named), {
        strictSlash: v1StrictSlash(tree),
      });
      dynamicWarnings.push(...inline.warnings);
      errors.push(...inline.errors);
      dynamic = mergeDynamic(dynamic, inline.config as Record<string, unknown>);
    } catch (e) {
      warnings.push(
        `[file] filename ${named}: ${errorMessage(e)}; convert it with "switchyard migrate" separately`,
      );
    }
  }
  const providers = subTable(converted.static, 'providers');
  if (Object.keys(dynamic).length > 0 || providers.file) {
    const watch = (providers.file as { watch?: boolean } | undefined)?.watch ?? false;
    providers.file = { filename: dynamicFile, watch };
  }
  return {
    static: { tree: converted.static, warnings },
    dynamic: { tree: dynamic, warnings: dynamicWarnings },
    errors,
  };
}

/**
 * `switchyard migrate <v1.toml> [--format=yaml|toml] [--out-dir=DIR [--force]]`: the v3 static and
 * dynamic configuration equivalent to a Traefik v1 file (static with `[backends]`/`[frontends]`, or a v1
 * dynamic file alone), printed or written to DIR, each v1 setting without an exact equivalent as a
 * comment. Returns the exit code (see MIGRATE_HELP).
 *
 * @example await runMigrate(['traefik.toml', '--format=toml'], process.stdout)
 */
export async function runMigrate(
  args: string[],
  out: Writable,
  err: Writable = process.stderr,
): Promise<number> {
  const parsed = parseMigrateArgs(args);
  if (parsed.help) {
    out.write(`${MIGRATE_HELP}\n`);
    return 0;
  }
  if (parsed.error || !parsed.file) {
    err.write(`switchyard migrate: ${parsed.error}\n${USAGE}\n`);
    return 2;
  }
  const path = resolve(parsed.file);
  const { format, outDir } = parsed;
  const ext = format === 'toml' ? 'toml' : 'yml';
  let tree: unknown;
  try {
    tree = readToml(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code)
      err.write(`switchyard migrate: cannot read ${parsed.file}: ${errorMessage(e)}\n`);
    else
      err.write(`switchyard migrate: ${parsed.file} is not a Traefik v1 file: ${notTomlReason(path, e)}\n`);
    return 2;
  }

  const dynamicName = outDir === undefined ? `dynamic.${ext}` : join(outDir, `dynamic.${ext}`);
  let migration: Migration;
  if (isV1Static(tree)) migration = convertStatic(tree, path, dynamicName);
  else if (isV1Dynamic(tree)) {
    const converted = convertV1Dynamic(tree);
    migration = {
      dynamic: { tree: converted.config as Record<string, unknown>, warnings: converted.warnings },
      errors: converted.errors,
    };
  } else {
    err.write(`switchyard migrate: ${parsed.file} is not a Traefik v1 file: ${whyNotV1(tree)}\n`);
    return 2;
  }

  const refused = migration.errors.map((e) => e.message);
  const parts: { file: string; part: Part }[] = [];
  if (migration.static) {
    parts.push({
      file: `switchyard.${ext}`,
      part: {
        title: `Static configuration (switchyard.${ext}), converted from Traefik v1 ${parsed.file}`,
        notes: migration.static.warnings,
        tree: migration.static.tree,
      },
    });
  }
  const source = migration.static ? `, read by providers.file` : `, converted from Traefik v1 ${parsed.file}`;
  parts.push({
    file: `dynamic.${ext}`,
    part: {
      title: `Dynamic configuration (dynamic.${ext}${source})`,
      refused,
      notes: migration.dynamic.warnings,
      tree: migration.dynamic.tree,
    },
  });

  if (outDir === undefined) {
    out.write(parts.map((p) => renderPart(p.part, format)).join(format === 'yaml' ? '---\n' : '\n'));
  } else {
    const targets = parts.map((p) => join(outDir, p.file));
    const existing = targets.filter((t) => existsSync(t));
    if (existing.length > 0 && !parsed.force) {
      err.write(`switchyard migrate: ${existing.join(', ')} already exist(s); add --force to overwrite\n`);
      return 2;
    }
    try {
      mkdirSync(outDir, { recursive: true });
      parts.forEach((p, i) => {
        writeFileSync(targets[i]!, renderPart(p.part, format));
      });
    } catch (e) {
      err.write(`switchyard migrate: cannot write to ${outDir}: ${errorMessage(e)}\n`);
      return 2;
    }
    out.write(`wrote ${targets.join(' and ')}\n`);
    if (migration.static) {
      out.write(
        `run: switchyard --configFile=${targets[0]} (from this directory: providers.file.filename is ` +
          `"${dynamicName}", relative to the working directory)\n`,
      );
    }
  }
  for (const e of refused) err.write(`switchyard migrate: ${e}\n`);
  return refused.length > 0 ? 1 : 0;
}

function mergeDynamic(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    if (Array.isArray(cur) && Array.isArray(v)) out[k] = [...cur, ...v];
    else if (cur && typeof cur === 'object' && v && typeof v === 'object')
      out[k] = mergeDynamic(cur as Record<string, unknown>, v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}
