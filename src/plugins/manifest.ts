import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { parse } from 'yaml';
import { formatIssues } from '../config/schema/issues.js';
import { normalize } from '../config/schema/normalize.js';
import { errorMessage, SwitchyardError } from '../core/errors.js';

/**
 * A plugin's `.traefik.yml`, as Traefik reads it. `runtime` defaults to `yaegi` (Go source) as in Traefik;
 * Switchyard runs `node` and `wasm` and refuses `yaegi`. Unknown keys (`summary`, `iconPath`…) are ignored.
 */
export const PluginManifest = Type.Object(
  {
    displayName: Type.String({ minLength: 1 }),
    type: Type.String({ default: 'middleware' }),
    runtime: Type.String({ default: 'yaegi' }),
    import: Type.Optional(Type.String({ minLength: 1 })),
    /** `runtime: wasm`: the module, relative to the folder (default `plugin.wasm`, as Traefik). */
    wasmPath: Type.Optional(Type.String({ minLength: 1 })),
    /** Switchyard: a JSON Schema of a wasm plugin's options, checked when the dynamic configuration loads. */
    optionsSchema: Type.Optional(Type.Unknown()),
    summary: Type.Optional(Type.String()),
    testData: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: true },
);
export type PluginManifest = Static<typeof PluginManifest>;

/** Reads and checks `dir/.traefik.yml`; throws a SwitchyardError naming the plugin and the file. */
export function readManifest(name: string, dir: string): PluginManifest {
  const file = join(dir, '.traefik.yml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw pluginError(name, `cannot read its manifest ${file}: ${errorMessage(err)}`);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw pluginError(name, `its manifest ${file} is not valid YAML: ${errorMessage(err)}`);
  }
  const { value, issues } = normalize(PluginManifest, raw);
  if (issues.length > 0) throw pluginError(name, `its manifest ${file} is invalid:\n${formatIssues(issues)}`);
  return value;
}

/** `plugin "name": why`, as a configuration error. */
export function pluginError(name: string, why: string, cause?: unknown): SwitchyardError {
  return new SwitchyardError('CONFIG_INVALID', `plugin "${name}": ${why}`, { cause });
}

/**
 * Whether `def` has the shape every extension definition has (docs/design/extensions.md): a TypeBox
 * `schema` and a `create` function.
 */
export function isDefinition(def: unknown): def is { schema: object; create: (...args: never[]) => unknown } {
  if (typeof def !== 'object' || def === null) return false;
  const { schema, create } = def as { schema?: unknown; create?: unknown };
  return (
    typeof create === 'function' &&
    typeof schema === 'object' &&
    schema !== null &&
    Symbol.for('TypeBox.Kind') in schema
  );
}
