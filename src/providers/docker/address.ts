import type { ContainerData } from './containers.js';

/** Where the provider reaches a container's server: host (IP) and port, or why it cannot. */
export type ServerAddress =
  | { ok: true; host: string; port: string; notes: string[] }
  | { ok: false; error: string };

export interface AddressOptions {
  /** The network to use: the container's `traefik.docker.network` label, else the provider's `network`. */
  network?: string | undefined;
  useBindPortIP: boolean;
}

/** `host:port`, with brackets around an IPv6 host. */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The port number of `80/tcp`. */
function portNumber(spec: string): number {
  return Number.parseInt(spec, 10);
}

/** Traefik's choice of port: the `server.port` label, else the lowest exposed or published port. */
export function containerPort(container: ContainerData, labelPort: string | undefined): string | undefined {
  if (labelPort) return labelPort;
  const ports = Object.keys(container.ports)
    .map(portNumber)
    .filter((n) => Number.isFinite(n))
    .sort((a, b) => a - b);
  return ports.length > 0 ? String(ports[0]) : undefined;
}

/** The container's address on `network`, on its host for host networking, else on its first network. */
export function containerIp(
  container: ContainerData,
  network: string | undefined,
  notes: string[],
): string | undefined {
  if (network) {
    const address = container.networks[network];
    if (address) return address;
    notes.push(
      `network "${network}" not found on the container (maybe the compose project prefix is missing); using another one`,
    );
  }
  if (container.networkMode === 'host') return '127.0.0.1';
  // Go's map order is random in Traefik; the first by name is stable here.
  const first = Object.keys(container.networks).sort()[0];
  return first === undefined ? undefined : container.networks[first];
}

/**
 * Traefik's `getIPPort`: with `useBindPortIP`, the host binding of the port when it names a specific IP;
 * otherwise (or when there is none) the container's own address and port.
 */
export function serverAddress(
  container: ContainerData,
  labelPort: string | undefined,
  opts: AddressOptions,
): ServerAddress {
  const notes: string[] = [];
  if (opts.useBindPortIP) {
    const port = containerPort(container, labelPort);
    const key = Object.keys(container.ports).find(
      (p) => port !== undefined && portNumber(p) === Number(port),
    );
    const binding = key === undefined ? undefined : container.ports[key]![0];
    if (!binding) notes.push(`no host binding for port ${port ?? '?'}; using the container's own address`);
    else if (binding.hostIp === '' || binding.hostIp === '0.0.0.0' || binding.hostIp === '::') {
      notes.push(`the binding of port ${port} has no specific host IP; using the container's own address`);
    } else return { ok: true, host: binding.hostIp, port: binding.hostPort, notes };
  }
  const host = containerIp(container, opts.network, notes);
  if (!host) return { ok: false, error: 'no IP address found for the container' };
  const port = containerPort(container, labelPort);
  if (!port) return { ok: false, error: 'port is missing (no server.port label and no exposed port)' };
  return { ok: true, host, port, notes };
}
