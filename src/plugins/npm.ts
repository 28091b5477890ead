import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pluginError } from './manifest.js';

/** What a plugin package is: its folder, its entry module and its package.json name. */
export interface PluginPackage {
  dir: string;
  entry: string;
  packageName: string;
}

/**
 * Finds the npm package `spec` (`name` or `@scope/name`) the way Node does, in the `node_modules`
 * folders from `fromDir` up to the root, and its ESM entry (`exports` "." with the `import`, `node` or
 * `default` condition, else `main`, else `index.js`). Throws a plugin error when it is not installed.
 */
export function resolvePluginPackage(plugin: string, spec: string, fromDir: string): PluginPackage {
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(spec)) {
    throw pluginError(plugin, `"${spec}" is not an npm package name`);
  }
  let dir = resolve(fromDir);
  for (;;) {
    const candidate = join(dir, 'node_modules', spec);
    if (existsSync(join(candidate, 'package.json'))) return packageAt(plugin, candidate);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw pluginError(
    plugin,
    `the package "${spec}" is not installed in a node_modules folder of ${resolve(fromDir)} or above (run npm install ${spec} there)`,
  );
}

function packageAt(plugin: string, dir: string): PluginPackage {
  let pkg: { name?: unknown; main?: unknown; exports?: unknown };
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch (err) {
    throw pluginError(plugin, `cannot read ${join(dir, 'package.json')}: ${(err as Error).message}`);
  }
  const entry = exportEntry(pkg.exports) ?? (typeof pkg.main === 'string' ? pkg.main : 'index.js');
  const file = resolve(dir, entry);
  if (!file.startsWith(dir))
    throw pluginError(plugin, `its package entry points outside the package: ${entry}`);
  return { dir, entry: file, packageName: typeof pkg.name === 'string' ? pkg.name : dir };
}

function exportEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (typeof exports !== 'object' || exports === null || Array.isArray(exports)) return undefined;
  const map = exports as Record<string, unknown>;
  const root = Object.keys(map).some((k) => k.startsWith('.')) ? map['.'] : map;
  if (typeof root === 'string') return root;
  if (typeof root !== 'object' || root === null) return undefined;
  const conditions = root as Record<string, unknown>;
  for (const c of ['import', 'node', 'default']) {
    const target = conditions[c];
    if (typeof target === 'string') return target;
    const nested = exportEntry(target);
    if (nested) return nested;
  }
  return undefined;
}
