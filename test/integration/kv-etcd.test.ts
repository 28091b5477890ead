import { startEtcd } from '../helpers/etcd.js';
import { aliasScenario } from './kv-alias-scenario.js';

aliasScenario('etcd', startEtcd);
