import { startRedis } from '../helpers/redis.js';
import { aliasScenario } from './kv-alias-scenario.js';

aliasScenario('redis', startRedis);
