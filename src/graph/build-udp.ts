import type { DynamicConfig } from '../config/dynamic/index.js';
import {
  type RuntimeElement,
  type RuntimeService,
  type RuntimeUdp,
  recordError,
} from '../config/runtime/runtime-config.js';
import { errorMessage, SwitchyardError } from '../core/errors.js';
import type { Lookup } from '../core/registry.js';
import { EMPTY_UDP_TABLE, type UdpPicker, type UdpTable } from '../proxy/udp/table.js';
import { builtinUdpServices, type UdpServiceDefinition } from '../services/udp/kinds.js';
import { recordReferenceUses, serviceParts } from './record-uses.js';
import { providerOf, qualifyRef } from './resolve-name.js';
import { element, routerElement } from './runtime-element.js';

export interface UdpGraphInput {
  config: DynamicConfig;
  elementIssues: { element?: string; message: string }[];
  /** The names of the UDP entrypoints (address ending in `/udp`). */
  entryPoints: readonly string[];
  /** The UDP service kinds; the built-ins when absent. */
  udpServices?: Lookup<UdpServiceDefinition>;
}

/** The built-in UDP service kinds, for callers that pass none (tests). */
const BUILTIN_UDP_SERVICES = builtinUdpServices();

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
  const kinds = input.udpServices ?? BUILTIN_UDP_SERVICES;
  const services = new UdpServices(config.udp.services, udp.services, kinds);
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
  recordReferenceUses(udp.services, serviceParts(kinds), {
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
    private readonly kinds: Lookup<UdpServiceDefinition>,
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
    const kind = Object.keys(config).find((k) => (config as Record<string, unknown>)[k] !== undefined);
    const def = kind === undefined ? undefined : this.kinds.get(kind);
    if (!def || kind === undefined) {
      throw new SwitchyardError('CONFIG_INVALID', `the UDP service "${name}" does not have any type defined`);
    }
    const provider = providerOf(name);
    return def.create((config as Record<string, never>)[kind]!, {
      name,
      service: (child) => this.get(qualifyRef(child, provider)),
      warn: (message) => recordError(rt, message, 'warn'),
    });
  }
}

export { addressProblem } from '../services/udp/kinds.js';
