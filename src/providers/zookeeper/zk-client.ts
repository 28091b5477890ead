import type ZkLib from 'node-zookeeper-client';
import type { Client, Event, Stat } from 'node-zookeeper-client';
import { lazyModule } from '../../core/lazy-module.js';
import { guardProtocol } from './zk-guard.js';

/** The event a connected client emits (with an Error) when its server sent bytes that are not ZooKeeper's. */
export const PROTOCOL_ERROR = 'switchyard:protocolError';

/** `traefik/http/x` or `/traefik/http/x` → the znode path `/traefik/http/x`. */
export function znode(key: string): string {
  return `/${key
    .split('/')
    .filter((s) => s !== '')
    .join('/')}`;
}

/** The ZooKeeper client library, loaded when a ZooKeeper store is first used. */
export const zkLib = lazyModule<typeof ZkLib>('node-zookeeper-client');

const isNoNode = (err: unknown) => (err as { code?: number } | null)?.code === zkLib().Exception.NO_NODE;

/** Promise forms of the few client calls used; a missing node reads as undefined. */
export function zkCalls(client: Client) {
  return {
    data: (path: string, watcher?: (e: Event) => void) =>
      new Promise<Buffer | undefined>((resolve, reject) => {
        const cb = (err: Error | null, data: Buffer | undefined) =>
          err ? (isNoNode(err) ? resolve(undefined) : reject(err)) : resolve(data ?? Buffer.alloc(0));
        if (watcher) client.getData(path, watcher, cb as never);
        else client.getData(path, cb as never);
      }),
    children: (path: string, watcher?: (e: Event) => void) =>
      new Promise<string[] | undefined>((resolve, reject) => {
        const cb = (err: Error | null, children: string[]) =>
          err ? (isNoNode(err) ? resolve(undefined) : reject(err)) : resolve(children);
        if (watcher) client.getChildren(path, watcher, cb as never);
        else client.getChildren(path, cb as never);
      }),
    exists: (path: string, watcher?: (e: Event) => void) =>
      new Promise<Stat | null>((resolve, reject) => {
        const cb = (err: Error | null, stat: Stat | null) => (err ? reject(err) : resolve(stat));
        if (watcher) client.exists(path, watcher, cb as never);
        else client.exists(path, cb as never);
      }),
    mkdirp: (path: string) =>
      new Promise<void>((resolve, reject) => client.mkdirp(path, (err) => (err ? reject(err) : resolve()))),
  };
}

/**
 * Connects a client; rejects (and closes it) when no server answers within `timeoutMs`, or at once when
 * the server does not speak ZooKeeper's protocol. Once connected, such an error is emitted as
 * `PROTOCOL_ERROR` and the client reconnects.
 */
export function connectZk(
  servers: string,
  timeoutMs: number,
  auth?: { username: string; password: string },
): Promise<Client> {
  const client = zkLib().createClient(servers, { sessionTimeout: 10_000, spinDelay: 200, retries: 0 });
  if (auth) client.addAuthInfo('digest', Buffer.from(`${auth.username}:${auth.password}`));
  return new Promise((resolve, reject) => {
    let connected = false;
    const fail = (err: Error) => {
      clearTimeout(timer);
      client.close();
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`no ZooKeeper server answered at ${servers}`)), timeoutMs);
    guardProtocol(client, servers, (err) => (connected ? client.emit(PROTOCOL_ERROR, err) : fail(err)));
    client.once('connected', () => {
      connected = true;
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
}
