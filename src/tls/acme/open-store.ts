import { resolve } from 'node:path';
import type { Static } from '@sinclair/typebox';
import type { AcmeSharedStorageSchema } from '../../config/static/schema-acme.js';
import { SwitchyardError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { EtcdAcmeBackend } from './kv-etcd.js';
import { RedisAcmeBackend } from './kv-redis.js';
import { SharedAcmeStorage } from './shared-storage.js';
import { AcmeStorage } from './storage.js';
import type { AcmeStore } from './store-contract.js';

export type AcmeSharedStorageConfig = Static<typeof AcmeSharedStorageSchema>;

/**
 * The store of one resolver: `sharedStorage` (etcd or Redis) when set, else the `storage` file. Resolvers
 * naming the same file or the same store share one object (`opened`).
 *
 * @throws SwitchyardError `CONFIG_INVALID` for a malformed acme.json or a sharedStorage naming no store.
 */
export function openAcmeStore(
  section: { storage: string; sharedStorage?: AcmeSharedStorageConfig },
  opened: Map<string, AcmeStore>,
  logger: Logger,
): AcmeStore {
  const shared = section.sharedStorage;
  const id = shared ? JSON.stringify(shared) : `file:${resolve(section.storage)}`;
  const known = opened.get(id);
  if (known) return known;
  let store: AcmeStore;
  if (!shared) store = new AcmeStorage(resolve(section.storage));
  else if (shared.etcd && shared.redis)
    throw new SwitchyardError('CONFIG_INVALID', 'acme.sharedStorage: set etcd or redis, not both');
  else if (shared.etcd)
    store = new SharedAcmeStorage(new EtcdAcmeBackend(shared.etcd), shared.rootKey, logger);
  else if (shared.redis)
    store = new SharedAcmeStorage(new RedisAcmeBackend(shared.redis), shared.rootKey, logger);
  else throw new SwitchyardError('CONFIG_INVALID', 'acme.sharedStorage: set etcd or redis');
  opened.set(id, store);
  return store;
}
