import { startZooKeeper } from '../../../test/helpers/zookeeper.js';
import { kvProviderContract } from '../kv/contract-suite.js';
import { ZooKeeperStore } from './zookeeper-store.js';

kvProviderContract('zookeeper', async () => {
  const zk = await startZooKeeper();
  return {
    store: () => new ZooKeeperStore({ endpoints: [zk.endpoint] }),
    stop: zk.stop,
    start: zk.start,
    destroy: zk.destroy,
  };
});
