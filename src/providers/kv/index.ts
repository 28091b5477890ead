export type { KvSession, KvStore, KvStoreEvents, KvView, KvWriter } from './contract.js';
export { trimDir } from './contract.js';
export { KvProvider, type KvProviderOptions } from './kv-provider.js';
export { snapshotFromPairs } from './layout.js';
