import { convertV1Static } from './static.js';
import { isObject, subTable } from './v1-tree.js';

/** A v1 static file converted for the loader: the v3 tree to validate, and what to log. */
export interface V1StaticSource {
  tree: Record<string, unknown>;
  notices: string[];
}

/**
 * Converts a v1 static file for the loader. The file provider is pointed at the v1 file itself whenever
 * anything dynamic comes from it (inline `[backends]`/`[frontends]`, entrypoint certificates and
 * middlewares) or `[file]` is present: the provider reads a v1 static file through the converter and
 * also reads the file `[file] filename` names, so `filename` naming the static file itself works too.
 */
export function v1StaticSource(tree: unknown, configFile: string): V1StaticSource {
  const converted = convertV1Static(tree);
  const out = converted.static;
  const providers = subTable(out, 'providers');
  const file = providers.file;
  if (isObject(file) && file.directory === undefined) {
    providers.file = { filename: configFile, watch: file.watch ?? true };
  } else if (file === undefined && converted.dynamic) {
    providers.file = { filename: configFile, watch: false };
  }
  const notices = [
    'Traefik v1 configuration detected; converting',
    ...converted.warnings.map((w) => `v1 conversion: ${w}`),
  ];
  return { tree: out, notices };
}
