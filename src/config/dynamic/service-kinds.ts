import type { Declaration, Reference } from '../../core/registry.js';
import {
  Failover,
  HighestRandomWeight,
  LoadBalancer,
  Mirroring,
  OriginalDestination,
  Weighted,
} from './http-services.js';
import { TcpService, UdpService } from './tcp-udp.js';

// The service kinds' declarations (docs/design/extensions.md): key, schema and the options that name other
// elements. The factories are in src/services/ (HTTP) and the TCP / UDP service builders.

const transport: Reference = { path: ['serversTransport'], to: 'serversTransport' };
const children: Reference = { path: ['services', '*', 'name'], to: 'service' };

/** HTTP service kinds (`http.services.<name>.<kind>`). */
export const loadBalancerDeclaration = {
  type: 'loadBalancer',
  schema: LoadBalancer,
  refs: [transport],
} satisfies Declaration;
export const weightedDeclaration = {
  type: 'weighted',
  schema: Weighted,
  refs: [children],
} satisfies Declaration;
export const highestRandomWeightDeclaration = {
  type: 'highestRandomWeight',
  schema: HighestRandomWeight,
  refs: [children],
} satisfies Declaration;
export const mirroringDeclaration = {
  type: 'mirroring',
  schema: Mirroring,
  refs: [
    { path: ['service'], to: 'service' },
    { path: ['mirrors', '*', 'name'], to: 'service' },
  ],
} satisfies Declaration;
export const failoverDeclaration = {
  type: 'failover',
  schema: Failover,
  refs: [
    { path: ['service'], to: 'service' },
    { path: ['fallback'], to: 'service' },
  ],
} satisfies Declaration;
export const originalDestinationDeclaration = {
  type: 'originalDestination',
  schema: OriginalDestination,
  refs: [transport],
} satisfies Declaration;

export const SERVICE_DECLARATIONS: readonly Declaration[] = [
  loadBalancerDeclaration,
  weightedDeclaration,
  highestRandomWeightDeclaration,
  mirroringDeclaration,
  failoverDeclaration,
  originalDestinationDeclaration,
];

const tcp = TcpService.properties;
const udp = UdpService.properties;

/** TCP service kinds (`tcp.services.<name>.<kind>`). */
export const TCP_SERVICE_DECLARATIONS: readonly Declaration[] = [
  { type: 'loadBalancer', schema: tcp.loadBalancer, refs: [transport] },
  { type: 'weighted', schema: tcp.weighted, refs: [children] },
  { type: 'originalDestination', schema: tcp.originalDestination, refs: [transport] },
];

/** UDP service kinds (`udp.services.<name>.<kind>`). */
export const UDP_SERVICE_DECLARATIONS: readonly Declaration[] = [
  { type: 'loadBalancer', schema: udp.loadBalancer },
  { type: 'weighted', schema: udp.weighted, refs: [children] },
];
