import type { DynamicConfig } from '../../config/dynamic/index.js';

/** Picks the server address for a new session. */
export type UdpPicker = () => string | undefined;

/** Where one UDP entrypoint sends new sessions in one generation. */
export interface UdpTable {
  router: string | undefined;
  pick: UdpPicker;
  /** Problems found while building (a conflicting router, a missing service). */
  issues: string[];
}

const qualify = (name: string, owner: string): string => {
  if (name.includes('@')) return name;
  const at = owner.indexOf('@');
  return at === -1 ? name : `${name}${owner.slice(at)}`;
};

/** Builds an entrypoint's table: Traefik serves one UDP router per entrypoint (the first by name). */
export function buildUdpTable(udp: DynamicConfig['udp'], entryPoint: string, allUdp: string[]): UdpTable {
  const issues: string[] = [];
  const names = Object.keys(udp.routers)
    .filter((n) => (udp.routers[n]!.entryPoints ?? allUdp).includes(entryPoint))
    .sort();
  const router = names[0];
  for (const other of names.slice(1))
    issues.push(`udp router ${other}: entrypoint ${entryPoint} already serves udp router ${router}`);
  if (!router) return { router, pick: () => undefined, issues };
  const pick = servicePicker(udp, qualify(udp.routers[router]!.service, router), issues, new Set());
  return { router, pick: pick ?? (() => undefined), issues };
}

function servicePicker(
  udp: DynamicConfig['udp'],
  name: string,
  issues: string[],
  seen: Set<string>,
): UdpPicker | undefined {
  const service = udp.services[name];
  if (!service || seen.has(name)) {
    issues.push(`udp service ${name}: ${service ? 'refers to itself' : 'does not exist'}`);
    return undefined;
  }
  seen.add(name);
  if (service.loadBalancer) {
    const servers = service.loadBalancer.servers.map((s) => s.address);
    let next = 0;
    return () => (servers.length === 0 ? undefined : servers[next++ % servers.length]);
  }
  const children = (service.weighted?.services ?? []).flatMap((c) => {
    const pick = servicePicker(udp, qualify(c.name, name), issues, new Set(seen));
    return pick ? [{ pick, weight: c.weight ?? 1, current: 0 }] : [];
  });
  const total = children.reduce((sum, c) => sum + c.weight, 0);
  // Smooth weighted round robin.
  return () => {
    if (total <= 0) return undefined;
    let best = children[0]!;
    for (const c of children) {
      c.current += c.weight;
      if (c.current > best.current) best = c;
    }
    best.current -= total;
    return best.pick();
  };
}
