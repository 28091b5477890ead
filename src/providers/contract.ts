import type { Static, TSchema } from '@sinclair/typebox';
import type { Logger } from '../core/logger.js';
import type { Declaration } from '../core/registry.js';

/** A problem a provider found in its source (unreadable file, parse error). */
export interface ProviderIssue {
  message: string;
  /** Where: a file path with line, a key, an URL. */
  source?: string;
  /**
   * The element this problem disables, unqualified (`http.routers.api`): the watcher reports it as that
   * element's error (disabled, in the API and `check`) rather than as a problem of the source.
   */
  element?: string;
}

/**
 * What a provider emits: its *whole* configuration every time, never a delta, as a raw tree in the
 * dynamic-configuration shape (validated by the watcher), plus the problems it met reading its sources.
 */
export interface ProviderSnapshot {
  config: unknown;
  issues: ProviderIssue[];
  /** Where a raw path of `config` came from (`file.yml:12`), for error messages; optional. */
  locate?: (path: readonly (string | number)[]) => string | undefined;
}

/**
 * A source of dynamic configuration. `provide` runs until `signal` aborts, calling `emit` with a whole
 * snapshot whenever its source changes. An unreadable source keeps its last good configuration: emit the
 * previous config again with the new issues rather than an empty one.
 */
export interface Provider {
  /** Provider name used to qualify element names (`name@file`). */
  readonly name: string;
  /** True when every value arrives as a string (KV stores, labels): the validator converts and splits them. */
  readonly fromStrings?: boolean;
  provide(emit: (snapshot: ProviderSnapshot) => void, signal: AbortSignal): Promise<void>;
  /**
   * Reads the source again now and emits what it holds (SIGHUP). Optional: a provider that watches or
   * polls its source has nothing more to do.
   */
  refresh?(): void;
}

/** Resolves when `signal` aborts (at once if it already has): the end of a provider's `provide`. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** What a provider's `create` may use. */
export interface ProviderBuildContext {
  readonly logger: Logger;
  /** The working directory (where relative paths of the static configuration resolve). */
  readonly cwd: string;
}

/**
 * One provider kind (`file`, `etcd`…): key (its `providers.<key>` section), the schema of that section,
 * and the factory. Listed in src/providers/registry.ts; provider plugins register as `plugin.<name>`.
 */
export interface ProviderDefinition<S extends TSchema = TSchema> extends Declaration<S> {
  create(options: Static<S>, ctx: ProviderBuildContext): Provider;
}

/** Helper so each definition keeps its option type. */
export function defineProvider<S extends TSchema>(def: ProviderDefinition<S>): ProviderDefinition<S> {
  return def;
}
