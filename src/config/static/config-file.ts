import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';

const EXTENSIONS = ['yml', 'yaml', 'toml'];

/**
 * Where Switchyard looks for a configuration file when none is named, in order: `./switchyard.*`,
 * `./traefik.*`, `$XDG_CONFIG_HOME/switchyard/switchyard.*` (or `~/.config/…`), `/etc/switchyard/switchyard.*`,
 * `/etc/traefik/traefik.*`, each as .yml, .yaml, .toml.
 */
export function configFileCandidates(
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  const bases = [
    join(cwd, 'switchyard'),
    join(cwd, 'traefik'),
    join(configHome, 'switchyard', 'switchyard'),
    '/etc/switchyard/switchyard',
    '/etc/traefik/traefik',
  ];
  return bases.flatMap((base) => EXTENSIONS.map((ext) => `${base}.${ext}`));
}

/** The first candidate that exists. */
export function findConfigFile(candidates: readonly string[]): string | undefined {
  return candidates.find((file) => existsSync(file));
}

/** The absolute path of a named configuration file, relative names resolved against `cwd`. */
export function resolveConfigFile(cwd: string, name: string): string {
  return isAbsolute(name) ? name : resolve(cwd, name);
}

/** How a file is named in issues: relative to `cwd` when inside it, else absolute. */
export function fileLabel(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
