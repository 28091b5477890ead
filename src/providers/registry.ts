import { ProvidersSchema } from '../config/static/schema-providers.js';
import type { Logger } from '../core/logger.js';
import { Registry } from '../core/registry.js';
import { defineProvider, type ProviderDefinition } from './contract.js';
import { createDockerProvider } from './docker/index.js';
import { EtcdStore } from './etcd/index.js';
import { FileProvider } from './file/index.js';
import { HttpProvider } from './http/index.js';
import { KvProvider, type KvStore } from './kv/index.js';
import { RedisStore } from './redis/index.js';
import { RestProvider } from './rest/index.js';
import { ZooKeeperStore } from './zookeeper/index.js';

const section = ProvidersSchema.properties;

interface KvSection {
  rootKey: string;
  aliasKey?: string;
  aliasEndpoint?: string;
}

const kv = (store: KvStore, options: KvSection, logger: Logger) =>
  new KvProvider(store, {
    rootKey: options.rootKey,
    aliasKey: options.aliasKey,
    aliasEndpoint: options.aliasEndpoint,
    logger,
  });

/**
 * The built-in providers, in the order they start: each one's key is its `providers.<key>` section of the
 * static configuration and its schema that section's.
 */
export const PROVIDER_DEFINITIONS: readonly ProviderDefinition[] = [
  defineProvider({
    type: 'file',
    schema: section.file,
    create: (o, { logger }) =>
      new FileProvider({ filename: o.filename, directory: o.directory, watch: o.watch, logger }),
  }),
  defineProvider({
    type: 'http',
    schema: section.http,
    create: (o, { logger }) => new HttpProvider({ ...o, logger }),
  }),
  defineProvider({ type: 'rest', schema: section.rest, create: () => new RestProvider() }),
  defineProvider({
    type: 'etcd',
    schema: section.etcd,
    create: (o, { logger }) => kv(new EtcdStore(o), o, logger),
  }),
  defineProvider({
    type: 'redis',
    schema: section.redis,
    create: (o, { logger }) => kv(new RedisStore(o), o, logger),
  }),
  defineProvider({
    type: 'zooKeeper',
    schema: section.zooKeeper,
    create: (o, { logger }) => kv(new ZooKeeperStore(o), o, logger),
  }),
  defineProvider({
    type: 'docker',
    schema: section.docker,
    create: (o, { logger }) => createDockerProvider(o, logger),
  }),
] as readonly ProviderDefinition[];

/** A fresh registry of the built-in providers; provider plugins register into it as `plugin.<name>`. */
export function builtinProviders(): Registry<ProviderDefinition> {
  return Registry.of('provider', PROVIDER_DEFINITIONS);
}
