import { ipWhiteList } from '../ipallowlist/index.js';

/** Deprecated `ipWhiteList`: `ipAllowList` without rejectStatusCode (defined beside it). */
export default ipWhiteList;
