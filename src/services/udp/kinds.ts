import { isIP } from 'node:net';
import type { UdpService } from '../../config/dynamic/index.js';
import { UDP_SERVICE_DECLARATIONS } from '../../config/dynamic/service-kinds.js';
import { type Declaration, Registry } from '../../core/registry.js';
import { roundRobin, type UdpPicker, weightedRoundRobin } from '../../proxy/udp/table.js';

/** What a UDP service kind's `create` may use. */
export interface UdpServiceBuildContext {
  /** Qualified service name. */
  readonly name: string;
  /** Another UDP service's picker by name (unqualified names resolve in this service's provider). */
  service(name: string): UdpPicker;
  /** Records a warning on the service (it stays enabled). */
  warn(message: string): void;
}

/** One UDP service kind: its declaration (service-kinds.ts) and the factory of its picker. */
export interface UdpServiceDefinition extends Declaration {
  create(config: never, ctx: UdpServiceBuildContext): UdpPicker;
}

const declaration = (type: string) => UDP_SERVICE_DECLARATIONS.find((d) => d.type === type)!;

/** The UDP service kinds: `loadBalancer` (round robin over the servers) and `weighted` (over services). */
export const UDP_SERVICE_DEFINITIONS: readonly UdpServiceDefinition[] = [
  {
    ...declaration('loadBalancer'),
    create(config: NonNullable<UdpService['loadBalancer']>, ctx) {
      const servers: string[] = [];
      for (const { address } of config.servers ?? []) {
        const problem = addressProblem(address);
        if (problem) ctx.warn(`server "${address}": ${problem}; it is left out`);
        else servers.push(address);
      }
      return roundRobin(servers);
    },
  },
  {
    ...declaration('weighted'),
    create(config: NonNullable<UdpService['weighted']>, ctx) {
      return weightedRoundRobin(
        config.services.map((c) => ({ pick: ctx.service(c.name), weight: c.weight ?? 1 })),
      );
    },
  },
];

/** A fresh registry of the UDP service kinds. */
export function builtinUdpServices(): Registry<UdpServiceDefinition> {
  return Registry.of('UDP service kind', UDP_SERVICE_DEFINITIONS);
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
