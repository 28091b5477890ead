import { stableStringify } from '../../watcher/stable-json.js';
import { childTree, findKey, isTree, type Tree } from './labels.js';

/** One container's configuration, with the container's name for messages. */
export interface Contribution {
  container: string;
  config: Tree;
}

/**
 * Merges the containers' configurations as Traefik does: an element defined identically by several
 * containers is kept once; load-balancer services that agree on everything but their servers are one
 * service with every container's servers (how replicas share a service); an element defined differently
 * is left out, and the conflict reported naming the containers.
 */
export function mergeContributions(contributions: readonly Contribution[]): {
  config: Tree;
  errors: string[];
} {
  const config: Tree = {};
  const errors: string[] = [];
  const owners = new Map<string, string[]>();
  const conflicts = new Set<string>();
  for (const { container, config: tree } of contributions) {
    for (const [section, kinds] of Object.entries(tree)) {
      if (!isTree(kinds)) continue;
      for (const [kind, elements] of Object.entries(kinds)) {
        if (!isTree(elements)) continue;
        for (const [name, element] of Object.entries(elements)) {
          const id = `${section}.${kind}.${name}`;
          const who = owners.get(id) ?? [];
          owners.set(id, [...who, container]);
          if (conflicts.has(id)) continue;
          const existing = childTree(childTree(config, section), kind);
          if (!(name in existing)) existing[name] = element;
          else if (!merge(existing, name, element, kind === 'services')) conflicts.add(id);
        }
      }
    }
  }
  for (const id of [...conflicts].sort()) {
    const [section, kind, ...rest] = id.split('.');
    const name = rest.join('.');
    delete ((config[section!] as Tree)[kind!] as Tree)[name];
    const who = [...new Set(owners.get(id))].join(', ');
    errors.push(`${section}.${kind}.${name} is defined differently by containers ${who}; it is left out`);
  }
  return { config, errors };
}

/** Merges `element` into `elements[name]`; false when they conflict. */
function merge(elements: Tree, name: string, element: unknown, isService: boolean): boolean {
  const existing = elements[name];
  if (stableStringify(existing) === stableStringify(element)) return true;
  if (!isService || !isTree(existing) || !isTree(element)) return false;
  const a = serversOf(existing);
  const b = serversOf(element);
  if (!a || !b || stableStringify(a.rest) !== stableStringify(b.rest)) return false;
  const seen = new Set(a.servers.map((s) => stableStringify(s)));
  const servers = [...a.servers];
  for (const s of b.servers) {
    const key = stableStringify(s);
    if (!seen.has(key)) {
      seen.add(key);
      servers.push(s);
    }
  }
  elements[name] = { ...a.rest, [a.lbKey]: { ...a.lbRest, [a.serversKey]: servers } };
  return true;
}

/** A load-balancer service split into its servers and the rest (what must agree to merge). */
function serversOf(service: Tree) {
  const lbKey = findKey(service, 'loadBalancer');
  if (!lbKey || !isTree(service[lbKey])) return undefined;
  const lb = service[lbKey] as Tree;
  const serversKey = findKey(lb, 'servers') ?? 'servers';
  const { [serversKey]: servers, ...lbRest } = lb;
  const { [lbKey]: _lb, ...others } = service;
  return {
    lbKey,
    serversKey,
    servers: Array.isArray(servers) ? servers : [],
    lbRest,
    rest: { ...others, [lbKey]: lbRest },
  };
}
