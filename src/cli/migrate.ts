import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { stringify as stringifyYaml } from 'yaml';
import { convertV1Dynamic, convertV1Static, isV1Dynamic, isV1Static } from '../config/v1/index.js';
import { subTable } from '../config/v1/v1-tree.js';
import { errorMessage } from '../core/errors.js';

export const USAGE = 'usage: switchyard migrate <traefik-v1.toml> [--format=yaml|toml]';

type Format = 'yaml' | 'toml';

function parseMigrateArgs(args: string[]): { file?: string; format: Format; error?: string } {
  let file: string | undefined;
  let format: string = 'yaml';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a === '--format') format = args[++i] ?? '';
    else if (a.startsWith('-')) return { format: 'yaml', error: `unknown option "${a}"` };
    else if (file === undefined) file = a;
    else return { format: 'yaml', error: `unexpected argument "${a}"` };
  }
  if (format !== 'yaml' && format !== 'toml') return { format: 'yaml', error: `unknown format "${format}"` };
  return file === undefined ? { format, error: 'no file given' } : { file, format };
}

function readToml(path: string): unknown {
  return parseToml(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
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

/**
 * `switchyard migrate <v1.toml> [--format=yaml|toml]`: prints the v3 static and dynamic configuration
 * equivalent to a Traefik v1 file (static with `[backends]`/`[frontends]`, or a v1 dynamic file alone),
 * each v1 setting without an exact equivalent as a comment. Returns the exit code (0 ok, 2 bad input).
 *
 * @example await runMigrate(['traefik.toml', '--format=toml'], process.stdout)
 */
export async function runMigrate(
  args: string[],
  out: Writable,
  err: Writable = process.stderr,
): Promise<number> {
  const parsed = parseMigrateArgs(args);
  if (parsed.error || !parsed.file) {
    err.write(`switchyard migrate: ${parsed.error}\n${USAGE}\n`);
    return 2;
  }
  const path = resolve(parsed.file);
  const ext = parsed.format === 'toml' ? 'toml' : 'yml';
  let tree: unknown;
  try {
    tree = readToml(path);
  } catch (e) {
    err.write(`switchyard migrate: cannot read ${parsed.file}: ${errorMessage(e)}\n`);
    return 2;
  }
  const text: string[] = [];
  if (isV1Static(tree)) {
    const converted = convertV1Static(tree);
    const warnings = [...converted.warnings];
    let dynamic: Record<string, unknown> = (converted.dynamic as Record<string, unknown>) ?? {};
    const named = namedDynamicFile(tree, path);
    if (named) {
      try {
        const source = named === path ? tree : readToml(named);
        const inline = convertV1Dynamic(source);
        warnings.push(...inline.warnings);
        dynamic = mergeDynamic(dynamic, inline.config as Record<string, unknown>);
      } catch (e) {
        warnings.push(
          `[file] filename ${named}: ${errorMessage(e)}; convert it with "switchyard migrate" separately`,
        );
      }
    }
    const staticTree = converted.static;
    const providers = subTable(staticTree, 'providers');
    const hasDynamic = Object.keys(dynamic).length > 0;
    if (hasDynamic || providers.file) {
      const watch = (providers.file as { watch?: boolean } | undefined)?.watch ?? false;
      providers.file = { filename: `dynamic.${ext}`, watch };
    }
    text.push(`# Static configuration (switchyard.${ext}), converted from Traefik v1 ${parsed.file}\n`);
    if (warnings.length > 0)
      text.push(comments(['No exact equivalent (review these):', ...warnings.map((w) => `  - ${w}`)]));
    text.push(render(staticTree, parsed.format));
    text.push(parsed.format === 'yaml' ? '---\n' : '\n');
    text.push(`# Dynamic configuration (dynamic.${ext}, read by providers.file)\n`);
    text.push(hasDynamic ? render(dynamic, parsed.format) : parsed.format === 'yaml' ? '{}\n' : '');
  } else if (isV1Dynamic(tree)) {
    const converted = convertV1Dynamic(tree);
    text.push(`# Dynamic configuration, converted from Traefik v1 ${parsed.file}\n`);
    if (converted.warnings.length > 0)
      text.push(
        comments(['No exact equivalent (review these):', ...converted.warnings.map((w) => `  - ${w}`)]),
      );
    text.push(render(converted.config, parsed.format));
  } else {
    err.write(`switchyard migrate: ${parsed.file} does not look like a Traefik v1 configuration\n`);
    return 2;
  }
  out.write(text.join(''));
  return 0;
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
