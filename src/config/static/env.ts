import type { TSchema } from '@sinclair/typebox';
import type { ConfigIssue } from '../schema/issues.js';
import type { PathSegment } from '../schema/normalize.js';
import { CONFIG_FILE_KEY } from './flags.js';
import { setFlat } from './flat-tree.js';
import { PathIndex } from './path-index.js';
import { staticSchema } from './schema.js';
import type { ConfigSource } from './source.js';

/** Variable prefixes, lowest precedence first: `SWITCHYARD_` wins over Traefik's `TRAEFIK_`. */
export const ENV_PREFIXES = ['TRAEFIK_', 'SWITCHYARD_'] as const;

/**
 * Environment variables as a configuration source: `SWITCHYARD_ENTRYPOINTS_WEB_ADDRESS=:80` is
 * `entryPoints.web.address`. Segments are split on `_` and lower-cased (keys match case-insensitively;
 * user-chosen names such as entrypoint names come out lower-case, so they cannot contain `_`). Only
 * variables whose first segment is a top-level key (or `CONFIGFILE`) are read, like Traefik, so unrelated
 * variables such as Kubernetes' `SWITCHYARD_SERVICE_HOST` are ignored rather than reported.
 */
export function envToSource(
  env: Readonly<Record<string, string | undefined>>,
  schema: TSchema = staticSchema,
): { source: ConfigSource; configFile?: { path: string; label: string }; issues: ConfigIssue[] } {
  const topLevel = new Set(Object.keys(schema.properties ?? {}).map((k) => k.toLowerCase()));
  const tree: Record<string, unknown> = {};
  const where = new PathIndex<string>();
  const issues: ConfigIssue[] = [];
  let configFile: { path: string; label: string } | undefined;
  for (const prefix of ENV_PREFIXES) {
    for (const [name, value] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
      if (value === undefined || name.length <= prefix.length) continue;
      if (name.slice(0, prefix.length).toUpperCase() !== prefix) continue;
      const segments = name.slice(prefix.length).toLowerCase().split('_');
      const label = `env ${name}`;
      if (segments.length === 1 && segments[0] === CONFIG_FILE_KEY) {
        configFile = { path: value, label };
        continue;
      }
      if (!topLevel.has(segments[0]!)) continue;
      if (segments.includes('')) {
        issues.push({
          path: '',
          message: 'empty key segment (two "_" in a row)',
          source: label,
          code: 'CONFIG_PARSE',
        });
        continue;
      }
      setFlat(tree, segments, value);
      where.set(segments, label);
    }
  }
  const source: ConfigSource = {
    tree,
    fromStrings: true,
    locate: (path: readonly PathSegment[]) => where.find(path),
  };
  return configFile ? { source, configFile, issues } : { source, issues };
}
