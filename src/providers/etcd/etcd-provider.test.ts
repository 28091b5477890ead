import { startEtcd } from '../../../test/helpers/etcd.js';
import { kvProviderContract } from '../kv/contract-suite.js';
import { EtcdStore } from './etcd-store.js';

kvProviderContract('etcd', async () => {
  const etcd = await startEtcd();
  return {
    store: () => new EtcdStore({ endpoints: [etcd.endpoint] }),
    stop: etcd.stop,
    start: etcd.start,
    destroy: etcd.destroy,
  };
});
