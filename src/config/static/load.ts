import { existsSync } from 'node:fs';
import { SECTION_KINDS } from '../dynamic/validate-keys.js';
import type { ConfigIssue } from '../schema/issues.js';
import { normalize } from '../schema/normalize.js';
import { isV1Static } from '../v1/detect.js';
import { v1StaticSource } from '../v1/static-source.js';
import { configFileCandidates, fileLabel, findConfigFile, resolveConfigFile } from './config-file.js';
import { applyDerivedDefaults, crossChecks } from './derived.js';
import { envToSource } from './env.js';
import { readConfigFile } from './file.js';
import { flagsToSource, parseArgs } from './flags.js';
import { mergeSources } from './merge-sources.js';
import { type StaticConfig, staticSchema } from './schema.js';
import type { ConfigSource } from './source.js';

/** Inputs of `loadStaticConfig`: the process's arguments (without node and script), environment and cwd. */
export interface LoadStaticOptions {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Files tried when none is named (default: `configFileCandidates(cwd, env)`). */
  candidates?: readonly string[];
}

/** The validated static configuration, what was wrong, and which file (absolute path) was read. */
export interface LoadStaticResult {
  config: StaticConfig;
  issues: ConfigIssue[];
  configFile?: string;
  /** Things to log once the logger is configured (a Traefik v1 file was detected and converted …). */
  notices?: string[];
  /** The command line as parsed (command, positionals), for the CLI. */
  command?: string;
  positionals: string[];
}

/**
 * Loads the static configuration from the configuration file, `SWITCHYARD_*`/`TRAEFIK_*` variables and
 * `--flags`, validates it and applies Traefik's defaults and derived defaults. Never throws for bad
 * configuration: `issues` lists every problem with its source, and `config` is the best effort.
 *
 * Unlike Traefik, where the three sources are exclusive (the first one found wins and the others are
 * silently ignored), Switchyard deep-merges them with flags > env > file, so a flag can override one key of
 * a file. The file is `--configFile` (or `SWITCHYARD_CONFIGFILE`/`TRAEFIK_CONFIGFILE`); a named file that
 * does not exist is an error rather than silently ignored. Otherwise the first existing candidate is used.
 *
 * @example
 * const { config, issues } = loadStaticConfig({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd() });
 */
export function loadStaticConfig(options: LoadStaticOptions): LoadStaticResult {
  const args = parseArgs(options.argv);
  const issues: ConfigIssue[] = [...args.issues];
  const flags = flagsToSource(args.flags);
  const env = envToSource(options.env);
  issues.push(...env.issues);

  const sources: ConfigSource[] = [];
  let configFile: string | undefined;
  const notices: string[] = [];
  const named = flags.configFile ?? env.configFile;
  if (named) {
    const file = resolveConfigFile(options.cwd, named.path);
    if (existsSync(file)) configFile = file;
    else {
      const message = `configuration file "${named.path}" does not exist`;
      issues.push({ path: 'configFile', message, source: named.label, code: 'CONFIG_MISSING' });
    }
  } else {
    configFile = findConfigFile(options.candidates ?? configFileCandidates(options.cwd, options.env));
  }
  if (configFile) {
    const read = readConfigFile(configFile, fileLabel(options.cwd, configFile));
    issues.push(...read.issues);
    if (read.source && isV1Static(read.source.tree)) {
      const v1 = v1StaticSource(read.source.tree, configFile);
      read.source.tree = v1.tree;
      notices.push(...v1.notices);
    }
    if (read.source) {
      dropDynamicSections(read.source.tree);
      sources.push(read.source);
    }
  }
  sources.push(env.source, flags.source);

  const merged = mergeSources(sources);
  const normalized = normalize(staticSchema, merged.tree, {
    locate: merged.locate,
    fromStrings: merged.fromStrings === true,
  });
  issues.push(...normalized.issues);
  const config = applyDerivedDefaults(withDefaultSections(normalized.value));
  issues.push(...crossChecks(config, merged.locate));

  const result: LoadStaticResult = { config, issues, positionals: args.positionals };
  if (configFile) result.configFile = configFile;
  if (notices.length > 0) result.notices = notices;
  if (args.command !== undefined) result.command = args.command;
  return result;
}

/**
 * A top-level section refused by validation (`entryPoints: false`, `providers: []`) is left out of the
 * value; the rest of the program expects it with its defaults, as if it had not been written.
 */
function withDefaultSections(config: StaticConfig): StaticConfig {
  const defaults = normalize(staticSchema, {}).value as Record<string, unknown>;
  const out = config as Record<string, unknown>;
  for (const [key, value] of Object.entries(defaults)) if (out[key] === undefined) out[key] = value;
  return config;
}

/**
 * The dynamic sections (`http`, `tcp`, `udp`, `tls`) of a file that holds both halves: Traefik's static
 * loader skips them (its file provider reads them when `providers.file.filename` names the same file).
 */
function dropDynamicSections(tree: Record<string, unknown>): void {
  const dynamic = Object.keys(SECTION_KINDS).map((k) => k.toLowerCase());
  for (const key of Object.keys(tree)) if (dynamic.includes(key.toLowerCase())) delete tree[key];
}
