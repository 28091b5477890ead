import { defineMiddleware } from '../contract.js';
import { createIpAllowList } from './ip-allow-list.js';
import { ipAllowListDeclaration, ipWhiteListDeclaration } from './schema.js';

/**
 * `ipAllowList`: only sources in `sourceRange` get through; others get 403 (or `rejectStatusCode`).
 *
 * @example http.middlewares.lan.ipAllowList.sourceRange: ["127.0.0.1/32", "10.0.0.0/8", "fd00::/8"]
 */
export default defineMiddleware({
  ...ipAllowListDeclaration,
  create: (options) => createIpAllowList(options, 'ipAllowList'),
});

/** Deprecated name of `ipAllowList` (no `rejectStatusCode`); logs a deprecation warning. */
export const ipWhiteList = defineMiddleware({
  ...ipWhiteListDeclaration,
  create: (options, build) => {
    build.logger.warn('middleware type "ipWhiteList" is deprecated; use "ipAllowList"');
    return createIpAllowList({ ...options, rejectStatusCode: 403 }, 'ipWhiteList');
  },
});
