import { isIP } from 'node:net';
import { BUILTIN_SCHEMAS } from '../config/dynamic/builtin-schemas.js';
import type { DynamicConfig } from '../config/dynamic/index.js';
import {
  type RuntimeElement,
  type RuntimeService,
  type RuntimeUdp,
  recordError,
} from '../config/runtime/runtime-config.js';
import { errorMessage, SwitchyardError } from '../core/errors.js';
import type { Declaration, Lookup } from '../core/registry.js';
import {
  EMPTY_UDP_TABLE,
  roundRobin,
  type UdpPicker,
  type UdpTable,
  weightedRoundRobin,
} from '../proxy/udp/table.js';
import { recordReferenceUses, serviceParts } from './record-uses.js';
import { providerOf, qualifyRef } from './resolve-name.js';
import { element, routerElement } from './runtime-element.js';

export interface UdpGraphInput {
  config: DynamicConfig;
  elementIssues: { element?: string; message: string }[];
  /** The names of the UDP entrypoints (address ending in `/udp`). */
  entryPoints: readonly string[];
  /** The UDP service kinds' declarations (for "used by"); the built-ins when absent. */
  udpServices?: Lookup<Declaration>;
}

const ISSUE = /^udp\.(routers|services)\.(.+)$/;

/** True for validation issues that `buildUdp` records on UDP elements. */
export function isUdpElementIssue(element: string): boolean {
  return ISSUE.test(element);
}

/**
 * The UDP table of every UDP entrypoint and the `udp` part of the runtime, as Traefik's UDP managers
 * build them: routers run on their `entryPoints` (all UDP entrypoints when absent), one router serves an
 * entrypoint (the last by name among those that build, as Traefik), a broken router or service is
 * disabled with its error and the rest serves.
 */
export function buildUdp(input: UdpGraphInput): { tables: Map<string, UdpTable>; runtime: RuntimeUdp } {
  const { config } = input;
  const udp: RuntimeUdp = { routers: {}, services: {} };
  for (const [name, c] of Object.entries(config.udp.services))
    udp.services[name] = element<RuntimeService>(name, c);
  for (const issue of input.elementIssues) {
    const m = ISSUE.exec(issue.element ?? '');
    if (!m) continue;
    const map = udp[m[1] as keyof RuntimeUdp] as Record<string, RuntimeElement>;
    map[m[2]!] ??= element(
      m[2]!,
      undefined,
      m[1] === 'routers' ? { entryPoints: [], tls: false, priority: 0 } : {},
    );
    recordError(map[m[2]!]!, issue.message);
  }
  const services = new UdpServices(config.udp.services, udp.services);
  const known = new Set(input.entryPoints);
  const candidates = new Map<string, { name: string; pick: UdpPicker }[]>();
  for (const [name, router] of Object.entries(config.udp.routers)) {
    const rt = routerElement(name, router, 0, {
      known: (ep) => known.has(ep),
      defaults: [],
      all: input.entryPoints,
    });
    udp.routers[name] = rt;
    let pick: UdpPicker | undefined;
    try {
      if (!router.service)
        throw new SwitchyardError('CONFIG_MISSING', 'the service is missing on the udp router');
      const serviceName = qualifyRef(router.service, providerOf(name));
      udp.services[serviceName]?.usedBy.push(name);
      pick = services.get(serviceName);
    } catch (err) {
      recordError(rt, errorMessage(err));
    }
    if (rt.status === 'disabled' || !pick) continue;
    for (const ep of rt.entryPoints) {
      const list = candidates.get(ep) ?? [];
      list.push({ name, pick });
      candidates.set(ep, list);
    }
  }
  recordReferenceUses(udp.services, serviceParts(input.udpServices ?? BUILTIN_SCHEMAS.udpServices), {
    service: udp.services,
  });
  // Services no router uses are still built, so their errors show up.
  for (const name of Object.keys(udp.services)) {
    try {
      services.get(name);
    } catch {
      // recorded on the element already
    }
  }

  const tables = new Map<string, UdpTable>();
  for (const ep of input.entryPoints) {
    const list = (candidates.get(ep) ?? []).sort((a, b) => (a.name < b.name ? 1 : -1));
    const chosen = list[0];
    tables.set(ep, chosen ? { router: chosen.name, pick: chosen.pick } : EMPTY_UDP_TABLE);
    for (const other of list.slice(1)) {
      recordError(
        udp.routers[other.name]!,
        `entryPoint "${ep}" serves one UDP router only: "${chosen!.name}" serves it, this router does not`,
        'warn',
      );
    }
  }
  return { tables, runtime: udp };
}

/** UDP service pickers by qualified name, each built once; errors are recorded on the services. */
class UdpServices {
  private readonly built = new Map<string, UdpPicker>();
  private readonly building = new Set<string>();

  constructor(
    private readonly configs: DynamicConfig['udp']['services'],
    private readonly runtime: Record<string, RuntimeService>,
  ) {}

  get(name: string): UdpPicker {
    const hit = this.built.get(name);
    if (hit) return hit;
    const config = this.configs[name];
    const rt = this.runtime[name];
    if (!config || !rt || rt.status === 'disabled') {
      const why = rt?.status === 'disabled' ? 'is disabled' : 'does not exist';
      throw new SwitchyardError('CONFIG_REFERENCE', `the UDP service "${name}" ${why}`);
    }
    if (this.building.has(name))
      throw new SwitchyardError('CONFIG_INVALID', `the UDP service "${name}" refers to itself`);
    this.building.add(name);
    try {
      const pick = this.build(name, config, rt);
      this.built.set(name, pick);
      return pick;
    } catch (err) {
      recordError(rt, errorMessage(err));
      throw err;
    } finally {
      this.building.delete(name);
    }
  }

  private build(name: string, config: DynamicConfig['udp']['services'][string], rt: RuntimeService) {
    if (config.loadBalancer) {
      const servers: string[] = [];
      for (const { address } of config.loadBalancer.servers ?? []) {
        const problem = addressProblem(address);
        if (problem) recordError(rt, `server "${address}": ${problem}; it is left out`, 'warn');
        else servers.push(address);
      }
      return roundRobin(servers);
    }
    if (config.weighted) {
      const provider = providerOf(name);
      const children = config.weighted.services.map((c) => ({
        pick: this.get(qualifyRef(c.name, provider)),
        weight: c.weight ?? 1,
      }));
      return weightedRoundRobin(children);
    }
    throw new SwitchyardError('CONFIG_INVALID', `the UDP service "${name}" does not have any type defined`);
  }
}

/** Why a UDP server address cannot be used (`host:port`, IPv6 in brackets), or `undefined`. */
export function addressProblem(address: string): string | undefined {
  const colon = address.lastIndexOf(':');
  if (colon === -1) return 'missing port in address';
  const host = address.slice(0, colon);
  const port = address.slice(colon + 1);
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65_535) return `invalid port "${port}"`;
  if (host.startsWith('[') !== host.endsWith(']')) return 'unbalanced brackets around the host';
  if (host.startsWith('[') && isIP(host.slice(1, -1)) !== 6) return `"${host}" is not an IPv6 address`;
  if (!host.startsWith('[') && host.includes(':')) return 'an IPv6 host must be written in brackets';
  return undefined;
}
