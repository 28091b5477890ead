import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// Validating a dynamic configuration needs schemas only (docs/design/extensions.md): this walks the
// compiled module graph of the validator and fails if an implementation is in it.

const here = dirname(fileURLToPath(import.meta.url));
const srcRoot = resolve(here, '..', '..');

const SPECIFIERS = [
  /(?:^|[\n;])\s*(?:import|export)\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]/g,
  /(?:^|[\n;])\s*import\s*['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** Every module `entry` loads, directly or not: local files (relative to src/) and packages, with who loads them. */
function moduleGraph(entry: string): Map<string, string> {
  const seen = new Map<string, string>([[entry, '(entry)']]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    const code = readFileSync(file, 'utf8');
    for (const pattern of SPECIFIERS) {
      for (const [, spec] of code.matchAll(pattern)) {
        const target = spec!.startsWith('.') ? resolve(dirname(file), spec!) : spec!;
        if (seen.has(target)) continue;
        seen.set(target, file);
        if (spec!.startsWith('.')) queue.push(target);
      }
    }
  }
  return seen;
}

const name = (file: string) => (file.startsWith('/') ? relative(srcRoot, file) : file);

/** Schema files may sit beside implementations; these are the ones allowed. */
const SCHEMA_FILE = /(^|\/)(schema|[a-z-]+-schemas?|declarations)\.js$/;
const IMPLEMENTATION_DIRS = [
  'middlewares/',
  'services/',
  'providers/',
  'proxy/',
  'graph/',
  'entrypoints/',
  'plugins/',
  'tls/',
  'observability/',
  'api/',
  'cli/',
  'workers/',
];

/** Why `module` must not be loaded by the validator, or undefined. */
function implementation(module: string): string | undefined {
  if (module.startsWith('node:')) return undefined;
  if (!module.startsWith('/')) {
    return module === '@sinclair/typebox' || module.startsWith('@sinclair/typebox/')
      ? undefined
      : 'a package other than the schema library';
  }
  const rel = name(module);
  if (IMPLEMENTATION_DIRS.some((d) => rel.startsWith(d)) && !SCHEMA_FILE.test(rel))
    return 'an implementation module';
  return undefined;
}

describe('dynamic configuration validation', () => {
  it('loads schemas only: no middleware, service or provider code, no client library', () => {
    const graph = moduleGraph(resolve(here, 'validate.js'));
    const offenders = [...graph]
      .map(([module, by]) => ({ module, by, why: implementation(module) }))
      .filter((m) => m.why !== undefined)
      .map((m) => `${name(m.module)} (${m.why}), loaded by ${name(m.by)}`);
    assert.deepEqual(offenders, []);
    // The walk does see the middlewares' schemas, so it would see their implementations too.
    assert.ok(graph.has(resolve(srcRoot, 'middlewares', 'chain', 'schema.js')));
    assert.ok(graph.has('@sinclair/typebox'));
  });

  it('finds an implementation when one is imported (the walk is not blind)', () => {
    const graph = moduleGraph(resolve(srcRoot, 'middlewares', 'registry.js'));
    const found = [...graph.keys()].filter((m) => implementation(m) !== undefined).map(name);
    assert.ok(found.includes('middlewares/chain/chain.js'), found.join(', '));
    // Packages too (the middlewares load theirs on first use, through lazyModule): the file provider's watcher.
    const providers = moduleGraph(resolve(srcRoot, 'providers', 'registry.js'));
    const packages = [...providers.keys()].filter((m) => implementation(m) !== undefined).map(name);
    assert.ok(packages.includes('chokidar'), packages.join(', '));
  });
});
