/** What the API and dashboard show of a plugin middleware. */
export interface PluginInfo {
  name: string;
  displayName: string;
  /** `node` or `wasm`. */
  runtime: string;
  /** The npm package it came from, for a plugin declared with `package`. */
  package?: string;
}

/** The key under which a plugin's middleware definition carries its PluginInfo (see `pluginOf`). */
export const PLUGIN = Symbol.for('switchyard.plugin');

/** The plugin a middleware definition was loaded from, if it is a plugin's. */
export function pluginOf(def: unknown): PluginInfo | undefined {
  return typeof def === 'object' && def !== null ? (def as { [PLUGIN]?: PluginInfo })[PLUGIN] : undefined;
}
