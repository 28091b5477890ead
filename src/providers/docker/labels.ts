import { decodeFlatKeys } from '../../config/codec/index.js';

/** A raw configuration tree, as labels decode into (values are strings; the watcher converts them). */
export type Tree = Record<string, unknown>;

/** The sections labels may define, each with its kinds, in canonical spelling. */
const SECTIONS: Record<string, readonly string[]> = {
  http: ['routers', 'services', 'middlewares', 'serversTransports'],
  tcp: ['routers', 'services', 'middlewares', 'serversTransports'],
  udp: ['routers', 'services'],
  // Beyond Traefik (#5507): TLS options and stores by labels. Certificates are files on the proxy's
  // host, which a container has no business naming, so they stay out.
  tls: ['options', 'stores'],
};

/** True for a v2/v3 configuration label (`traefik.http.…`, `traefik.tcp.…`, `traefik.udp.…`, `traefik.tls.…`). */
export function isConfigLabel(key: string): boolean {
  return /^traefik\.(http|tcp|udp|tls)\./i.test(key);
}

/**
 * Container labels → a raw dynamic-configuration tree, through the shared flat-key codec. Traefik's label
 * spellings are accepted: `tls.domains[0].main` (bracketed indices) and `loadbalancer.server.port` (the
 * first server). Sections and kinds come out in canonical spelling (`http.routers`), element names as
 * written; other keys stay as written (the validator matches them case-insensitively).
 *
 * @example decodeLabels({ 'traefik.http.routers.a.rule': 'Host(`a`)' })  // { http: { routers: { a: { rule: 'Host(`a`)' } } } }
 */
export function decodeLabels(labels: Readonly<Record<string, string>>): Tree {
  const pairs: [string, string][] = [];
  for (const [key, value] of Object.entries(labels)) {
    if (isConfigLabel(key)) pairs.push([key.replace(/\[(\d+)\]/g, '.$1'), value]);
  }
  const raw = decodeFlatKeys(pairs, { separator: '.', prefix: 'traefik' });
  const out: Tree = {};
  for (const [sectionKey, sectionValue] of Object.entries(asTree(raw))) {
    const section = canonical(Object.keys(SECTIONS), sectionKey);
    if (!section) continue;
    for (const [kindKey, kindValue] of Object.entries(asTree(sectionValue))) {
      const kind = canonical(SECTIONS[section]!, kindKey) ?? kindKey; // unknown kinds: the validator says so
      const elements = childTree(childTree(out, section), kind);
      for (const [name, element] of Object.entries(asTree(kindValue))) {
        elements[name] = kind === 'services' ? firstServer(element) : element;
      }
    }
  }
  return out;
}

/** `loadbalancer.server.x` → `loadBalancer.servers[0].x` (merged with an explicit `servers.0`). */
function firstServer(service: unknown): unknown {
  if (!isTree(service)) return service;
  const out: Tree = { ...service };
  const lbKey = findKey(out, 'loadBalancer');
  if (!lbKey || !isTree(out[lbKey])) return out;
  const lb: Tree = { ...(out[lbKey] as Tree) };
  const serverKey = findKey(lb, 'server');
  if (serverKey && isTree(lb[serverKey])) {
    const serversKey = findKey(lb, 'servers') ?? 'servers';
    const servers = Array.isArray(lb[serversKey]) ? [...(lb[serversKey] as unknown[])] : [];
    servers[0] = { ...(isTree(servers[0]) ? servers[0] : {}), ...(lb[serverKey] as Tree) };
    delete lb[serverKey];
    lb[serversKey] = servers;
  }
  out[lbKey] = lb;
  return out;
}

/** The key of `tree` equal to `name` ignoring case, if any. */
export function findKey(tree: Tree, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(tree).find((k) => k.toLowerCase() === lower);
}

/** The value under `name` ignoring case. */
export function getKey(tree: Tree, name: string): unknown {
  const key = findKey(tree, name);
  return key === undefined ? undefined : tree[key];
}

/** `parent[key]`, created empty when it is missing. */
export function childTree(parent: Tree, key: string): Tree {
  if (!isTree(parent[key])) parent[key] = {};
  return parent[key] as Tree;
}

export function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asTree(value: unknown): Tree {
  return isTree(value) ? value : {};
}

function canonical(names: readonly string[], key: string): string | undefined {
  return names.find((n) => n.toLowerCase() === key.toLowerCase());
}
