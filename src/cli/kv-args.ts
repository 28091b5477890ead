import { SwitchyardError } from '../core/errors.js';
import { EtcdStore } from '../providers/etcd/index.js';
import type { KvStore } from '../providers/kv/index.js';
import { RedisStore } from '../providers/redis/index.js';
import { ZooKeeperStore } from '../providers/zookeeper/index.js';

/** `--name value` and `--name=value` options, and the words before them. */
export function parseKvArgs(args: string[]): { words: string[]; flags: Map<string, string> } {
  const words: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) flags.set(arg.slice(2, eq).toLowerCase(), arg.slice(eq + 1));
    else if (args[i + 1] !== undefined && !args[i + 1]!.startsWith('--'))
      flags.set(arg.slice(2).toLowerCase(), args[++i]!);
    else flags.set(arg.slice(2).toLowerCase(), 'true');
  }
  return { words, flags };
}

/** The store named by `--store` (etcd, redis, zookeeper) at `--endpoints`, with credentials. */
export function storeFromFlags(flags: Map<string, string>): KvStore {
  const kind = (flags.get('store') ?? 'etcd').toLowerCase();
  const endpoints = flags.get('endpoints')?.split(',').filter(Boolean);
  const username = flags.get('username');
  const password = flags.get('password');
  if (kind === 'etcd') {
    return new EtcdStore({ endpoints: endpoints ?? ['127.0.0.1:2379'], username, password });
  }
  if (kind === 'redis') {
    const db = flags.has('db') ? Number(flags.get('db')) : 0;
    return new RedisStore({ endpoints: endpoints ?? ['127.0.0.1:6379'], username, password, db });
  }
  if (kind === 'zookeeper') {
    return new ZooKeeperStore({ endpoints: endpoints ?? ['127.0.0.1:2181'], username, password });
  }
  throw new SwitchyardError('CONFIG_INVALID', `--store must be etcd, redis or zookeeper (not "${kind}")`);
}

/** A required option, or a usage error naming it. */
export function required(flags: Map<string, string>, name: string): string {
  const value = flags.get(name.toLowerCase());
  if (!value || value === 'true') throw new SwitchyardError('CONFIG_MISSING', `--${name} is required`);
  return value;
}
