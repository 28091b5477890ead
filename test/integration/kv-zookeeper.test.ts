import { startZooKeeper } from '../helpers/zookeeper.js';
import { aliasScenario } from './kv-alias-scenario.js';

aliasScenario('zookeeper', startZooKeeper);
