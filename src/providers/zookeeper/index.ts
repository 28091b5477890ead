export { ZooKeeperStore, type ZooKeeperStoreOptions } from './zookeeper-store.js';
