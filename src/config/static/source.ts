import type { ConfigIssue } from '../schema/issues.js';
import type { PathSegment } from '../schema/normalize.js';

/** One configuration source before validation: the tree as written and where each key came from. */
export interface ConfigSource {
  /** Keys in the source's own spelling; values as parsed (strings for flags and env). */
  tree: Record<string, unknown>;
  /** `switchyard.yml:12`, `flag --api.insecure`, `env SWITCHYARD_LOG_LEVEL` for a path as written. */
  locate(path: readonly PathSegment[]): string | undefined;
  /** True when values are strings only (flags, env): lists of scalars then also accept `a,b`. */
  fromStrings?: boolean;
}

/** A parsed source, or none when it could not be read, plus what went wrong. */
export interface SourceResult {
  source?: ConfigSource;
  issues: ConfigIssue[];
}
