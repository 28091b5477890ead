import type { DockerClient } from './docker-client.js';

/** A port binding on the host (`docker run -p`). */
export interface PortBinding {
  hostIp: string;
  hostPort: string;
}

/** What the provider needs to know about one container, from its inspect document. */
export interface ContainerData {
  id: string;
  /** Without the leading `/`. */
  name: string;
  labels: Record<string, string>;
  /** `State.Health.Status` (`starting`, `healthy`, `unhealthy`), or '' when the container has no check. */
  health: string;
  /** `HostConfig.NetworkMode`: `bridge`, `host`, `container:<id>`, a network name… */
  networkMode: string;
  /** Network name → address (IPv4, else IPv6). */
  networks: Record<string, string>;
  /** Exposed and published ports, `80/tcp` → its host bindings (empty when unpublished). */
  ports: Record<string, PortBinding[]>;
}

interface InspectDocument {
  Id?: string;
  Name?: string;
  Config?: { Labels?: Record<string, string> | null; ExposedPorts?: Record<string, unknown> | null } | null;
  State?: { Running?: boolean; Health?: { Status?: string } | null } | null;
  HostConfig?: { NetworkMode?: string } | null;
  NetworkSettings?: {
    Networks?: Record<string, { IPAddress?: string; GlobalIPv6Address?: string } | null> | null;
    Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
  } | null;
}

/** Reads one inspect document into `ContainerData`. Tolerates podman's and Docker's differences. */
export function parseInspect(doc: InspectDocument): ContainerData {
  const networks: Record<string, string> = {};
  for (const [name, net] of Object.entries(doc.NetworkSettings?.Networks ?? {})) {
    const address = net?.IPAddress || net?.GlobalIPv6Address;
    if (address) networks[name] = address;
  }
  const ports: Record<string, PortBinding[]> = {};
  // Podman lists exposed-but-unpublished ports only in Config.ExposedPorts: read both.
  for (const port of Object.keys(doc.Config?.ExposedPorts ?? {})) ports[port] = [];
  for (const [port, bindings] of Object.entries(doc.NetworkSettings?.Ports ?? {})) {
    ports[port] = (bindings ?? []).map((b) => ({ hostIp: b.HostIp ?? '', hostPort: b.HostPort ?? '' }));
  }
  return {
    id: doc.Id ?? '',
    name: (doc.Name ?? '').replace(/^\//, ''),
    labels: { ...(doc.Config?.Labels ?? {}) },
    health: doc.State?.Health?.Status ?? '',
    networkMode: doc.HostConfig?.NetworkMode ?? '',
    networks,
    ports,
  };
}

/**
 * Lists the running containers and inspects each (the list lacks exposed ports, health and, on podman,
 * the network mode). A container that disappears between the two calls is skipped.
 */
export async function listContainers(client: DockerClient): Promise<ContainerData[]> {
  const list = await client.getJson<{ Id: string }[]>('/containers/json');
  const inspected = await Promise.all(
    list.map((c) =>
      client
        .getJson<InspectDocument>(`/containers/${encodeURIComponent(c.Id)}/json`)
        .then((doc) => (doc.State?.Running === false ? undefined : parseInspect(doc)))
        .catch((err: unknown) => {
          if (/status 404/.test(String(err))) return undefined;
          throw err;
        }),
    ),
  );
  return inspected
    .filter((c): c is ContainerData => c !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
