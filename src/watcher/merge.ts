import { type DynamicConfig, emptyDynamicConfig } from '../config/dynamic/index.js';
import type { ElementIssue } from '../config/dynamic/validate.js';
import type { ProviderIssue } from '../providers/contract.js';

/**
 * What the watcher hands to the graph builder: every provider's valid elements under qualified names
 * (`api@file`), the problems with the elements that were left out (qualified element names such as
 * `http.routers.api@file`, with their provider), and each provider's own problems with its sources
 * (unreadable file, parse error) keyed by provider name.
 */
export interface MergedConfig {
  config: DynamicConfig;
  issues: ElementIssue[];
  providerIssues: Record<string, ProviderIssue[]>;
}

/** One provider's latest validated configuration, already qualified (see `qualifyConfig`). */
export interface ProviderState {
  provider: string;
  config: DynamicConfig;
  issues: ElementIssue[];
  providerIssues: ProviderIssue[];
}

/**
 * Merges the providers' qualified configurations, in the order given. Names cannot collide (each carries
 * its provider) except the shared TLS `default` options and store: defined by two providers, Traefik
 * drops them and reports it, and so do we.
 */
export function mergeProviders(states: readonly ProviderState[]): MergedConfig {
  const config = emptyDynamicConfig();
  const issues: ElementIssue[] = [];
  const providerIssues: Record<string, ProviderIssue[]> = {};
  const sharedOwners = { options: [] as string[], stores: [] as string[] };
  for (const state of states) {
    const c = state.config;
    Object.assign(config.http.routers, c.http.routers);
    Object.assign(config.http.services, c.http.services);
    Object.assign(config.http.middlewares, c.http.middlewares);
    Object.assign(config.http.serversTransports, c.http.serversTransports);
    Object.assign(config.tcp.routers, c.tcp.routers);
    Object.assign(config.tcp.services, c.tcp.services);
    Object.assign(config.tcp.middlewares, c.tcp.middlewares);
    Object.assign(config.tcp.serversTransports, c.tcp.serversTransports);
    Object.assign(config.udp.routers, c.udp.routers);
    Object.assign(config.udp.services, c.udp.services);
    config.tls.certificates.push(...c.tls.certificates);
    Object.assign(config.tls.options, c.tls.options);
    Object.assign(config.tls.stores, c.tls.stores);
    if ('default' in c.tls.options) sharedOwners.options.push(state.provider);
    if ('default' in c.tls.stores) sharedOwners.stores.push(state.provider);
    issues.push(...state.issues);
    providerIssues[state.provider] = state.providerIssues;
  }
  for (const kind of ['options', 'stores'] as const) {
    const owners = sharedOwners[kind];
    if (owners.length < 2) continue;
    delete config.tls[kind].default;
    issues.push({
      element: `tls.${kind}.default`,
      message: `the TLS ${kind === 'options' ? 'options' : 'store'} "default" is defined by several providers (${owners.join(', ')}); none of them is used`,
    });
  }
  return { config, issues, providerIssues };
}

/**
 * Freezes a value and everything reachable from it, so the merged configuration can be shared by the
 * graph builder, the API and the next merge without anyone changing it underneath the others.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}
