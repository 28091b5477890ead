import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { formatIssues } from '../../config/schema/issues.js';
import { normalize } from '../../config/schema/normalize.js';
import type { MiddlewareDefinition } from '../../middlewares/contract.js';
import { type PluginManifest, pluginError } from '../manifest.js';
import { compileGuest } from './guest.js';
import { ANY_OPTIONS, fromJsonSchema } from './json-schema.js';
import { wasmMiddleware } from './middleware.js';

/**
 * Loads a `runtime: wasm` plugin: the module `wasmPath` (default `plugin.wasm`) in its folder, metered and
 * compiled once; options checked against the manifest's `optionsSchema` when it declares one.
 */
export async function loadWasmPlugin(
  name: string,
  dir: string,
  manifest: PluginManifest,
): Promise<MiddlewareDefinition> {
  const file = resolve(dir, manifest.wasmPath ?? 'plugin.wasm');
  if (!file.startsWith(dir)) {
    throw pluginError(name, `the manifest's wasmPath points outside the plugin folder: ${manifest.wasmPath}`);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw pluginError(name, `cannot read its WebAssembly module ${file}: ${(err as Error).message}`, err);
  }
  const guest = await compileGuest(name, file, bytes);
  let schema: TSchema = ANY_OPTIONS;
  if (manifest.optionsSchema !== undefined) {
    try {
      schema = fromJsonSchema(manifest.optionsSchema);
    } catch (err) {
      throw pluginError(name, `its manifest's ${(err as Error).message}`);
    }
  }
  if (manifest.testData !== undefined) {
    const { issues } = normalize(schema, manifest.testData);
    if (issues.length > 0) {
      throw pluginError(
        name,
        `its manifest's testData does not match its optionsSchema:\n${formatIssues(issues)}`,
      );
    }
  }
  return {
    type: name,
    schema,
    create: (options, bctx) => wasmMiddleware(guest, options, bctx),
  };
}
