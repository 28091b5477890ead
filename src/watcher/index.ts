export type { MergedConfig } from './merge.js';
export { type LocatableSnapshot, qualifyIssue, Watcher, type WatcherOptions } from './watcher.js';
