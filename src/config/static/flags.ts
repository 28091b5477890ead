import type { TSchema } from '@sinclair/typebox';
import { kindOf } from '../schema/describe.js';
import type { ConfigIssue } from '../schema/issues.js';
import type { PathSegment } from '../schema/normalize.js';
import { schemaAt } from '../schema/schema-at.js';
import { setFlat, splitFlatKey } from './flat-tree.js';
import { PathIndex } from './path-index.js';
import { staticSchema } from './schema.js';
import type { ConfigSource } from './source.js';

/** The command line split into the command, other positionals and `--key=value` flags. */
export interface ParsedArgs {
  /** First positional argument (`check`, `whoami`, `version`, `migrate` …); undefined means run. */
  command?: string;
  /** Positional arguments after the command. */
  positionals: string[];
  /** Flag name as first written (without dashes) → value; a bare boolean or section flag is `"true"`. */
  flags: Map<string, string>;
  issues: ConfigIssue[];
}

/** The flag naming the configuration file; not part of the schema. */
export const CONFIG_FILE_KEY = 'configfile';

/**
 * Parses the command line the way Traefik does: `--a.b.c=v`, or `--a.b.c v` when the key takes a value
 * (not a boolean and not a section); a bare `--ping` or `--api.insecure` means true; one dash works like
 * two; `--` ends the flags. Keys are case-insensitive (the first spelling is kept); repeating a list flag
 * appends (`--x=a --x=b` is `a,b`), repeating another replaces. Unknown keys never take the next argument,
 * so a typo cannot swallow the command.
 *
 * @example parseArgs(['check', '--log.level', 'DEBUG']) // command 'check', flags { 'log.level' => 'DEBUG' }
 */
export function parseArgs(argv: readonly string[], schema: TSchema = staticSchema): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string>();
  const spelling = new Map<string, string>(); // lower-case → first spelling
  const issues: ConfigIssue[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq === -1 ? body : body.slice(0, eq);
    if (name === '' || name.startsWith('-')) {
      issues.push({
        path: '',
        message: `bad flag syntax: ${arg}`,
        source: `flag ${arg}`,
        code: 'CONFIG_PARSE',
      });
      continue;
    }
    let value: string | undefined = eq === -1 ? undefined : body.slice(eq + 1);
    const type = flagType(schema, name);
    if (value === undefined && type === 'switch') value = 'true';
    if (value === undefined && (type === 'value' || type === 'list')) {
      const next = argv[i + 1];
      if (next !== undefined && (!next.startsWith('-') || /^-\d/.test(next))) {
        value = next;
        i++;
      } else {
        const message = `flag needs a value: --${name}=<value>`;
        issues.push({ path: name, message, source: `flag --${name}`, code: 'CONFIG_MISSING' });
        continue;
      }
    }
    value ??= 'true';
    const lower = name.toLowerCase();
    const key = spelling.get(lower) ?? name;
    spelling.set(lower, key);
    const previous = flags.get(key);
    flags.set(key, previous !== undefined && type === 'list' ? `${previous},${value}` : value);
  }
  const [command, ...rest] = positionals;
  return command === undefined
    ? { positionals: rest, flags, issues }
    : { command, positionals: rest, flags, issues };
}

/** How a flag reads its value: `switch` (bare means true), `value`/`list` (may take the next argument), unknown. */
function flagType(schema: TSchema, name: string): 'switch' | 'value' | 'list' | 'unknown' {
  if (name.toLowerCase() === CONFIG_FILE_KEY) return 'value';
  const target = schemaAt(schema, splitFlatKey(name));
  if (!target) return 'unknown';
  const kinds = kindOf(target) === 'Union' ? (target.anyOf as TSchema[]).map(kindOf) : [kindOf(target)];
  if (kinds.some((k) => k === 'Boolean' || k === 'Object' || k === 'Record')) return 'switch';
  if (kinds.includes('Array')) return 'list';
  return 'value';
}

/** Flags as a configuration source, minus `--configFile`, which is returned on its own. */
export function flagsToSource(flags: ReadonlyMap<string, string>): {
  source: ConfigSource;
  configFile?: { path: string; label: string };
} {
  const tree: Record<string, unknown> = {};
  const where = new PathIndex<string>();
  let configFile: { path: string; label: string } | undefined;
  for (const [name, value] of flags) {
    if (name.toLowerCase() === CONFIG_FILE_KEY) {
      configFile = { path: value, label: `flag --${name}` };
      continue;
    }
    const segments = splitFlatKey(name);
    setFlat(tree, segments, value);
    where.set(segments, `flag --${name}`);
  }
  const source: ConfigSource = {
    tree,
    fromStrings: true,
    locate: (path: readonly PathSegment[]) => where.find(path),
  };
  return configFile ? { source, configFile } : { source };
}
