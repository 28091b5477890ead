import type { StaticConfig } from '../config/static/index.js';
import type { Logger } from '../core/logger.js';
import type { Provider } from './contract.js';
import { createDockerProvider } from './docker/index.js';
import { EtcdStore } from './etcd/index.js';
import { FileProvider } from './file/index.js';
import { HttpProvider } from './http/index.js';
import { KvProvider, type KvStore } from './kv/index.js';
import { RedisStore } from './redis/index.js';
import { RestProvider } from './rest/index.js';
import { ZooKeeperStore } from './zookeeper/index.js';

interface KvSection {
  rootKey: string;
  aliasKey?: string;
  aliasEndpoint?: string;
}

/**
 * Every provider the static configuration enables (`providers.file`, `http`, `rest`, `etcd`, `redis`,
 * `zooKeeper`, `docker`), in that order. The REST provider is returned like the others; mount its handler with
 * `restProviderHandler(providers.find((p) => p instanceof RestProvider))`.
 *
 * @example const watcher = new Watcher({ providers: providersFromStatic(config, logger), … })
 */
export function providersFromStatic(config: StaticConfig, logger: Logger): Provider[] {
  const p = config.providers;
  const out: Provider[] = [];
  if (p.file) {
    out.push(
      new FileProvider({
        filename: p.file.filename,
        directory: p.file.directory,
        watch: p.file.watch,
        logger,
      }),
    );
  }
  if (p.http) out.push(new HttpProvider({ ...p.http, logger }));
  if (p.rest) out.push(new RestProvider());
  const kv = (store: KvStore, section: KvSection) =>
    new KvProvider(store, {
      rootKey: section.rootKey,
      aliasKey: section.aliasKey,
      aliasEndpoint: section.aliasEndpoint,
      logger,
    });
  if (p.etcd) out.push(kv(new EtcdStore(p.etcd), p.etcd));
  if (p.redis) out.push(kv(new RedisStore(p.redis), p.redis));
  if (p.zooKeeper) out.push(kv(new ZooKeeperStore(p.zooKeeper), p.zooKeeper));
  if (p.docker) out.push(createDockerProvider(p.docker, logger));
  return out;
}

export type { Provider, ProviderIssue, ProviderSnapshot } from './contract.js';
export { RestProvider, restProviderHandler } from './rest/index.js';
