/**
 * HTTP routing: the per-generation route table (host index + compiled rule predicates).
 */
export { HostIndex, type IndexedRoute } from './host-index.js';
export { PROVIDER_PRECEDENCE, providerOfName, providerRank } from './provider-precedence.js';
export {
  buildRouteTable,
  type RouteBuildError,
  type RouteEntry,
  type RouteInfo,
  type RouteTable,
  type RouteTableOptions,
} from './route-table.js';
