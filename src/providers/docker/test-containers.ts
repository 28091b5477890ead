import { buildSnapshot } from './build-config.js';
import { compileConstraints } from './constraints.js';
import type { ContainerRules } from './container-config.js';
import type { ContainerData } from './containers.js';
import { compileTemplate } from './template.js';

/** Shared by the Docker provider's unit tests: containers as the engine describes them, and the rules. */

let ip = 2;

/** A running container on the `podman` network with its own address and port 80 exposed (override with `more`). */
export function container(
  name: string,
  labels: Record<string, string> = {},
  more: Partial<ContainerData> = {},
): ContainerData {
  return {
    id: `${name}-id`,
    name,
    labels,
    health: '',
    networkMode: 'bridge',
    networks: { podman: `10.88.0.${ip++}` },
    ports: { '80/tcp': [] },
    ...more,
  };
}

/** The provider options, Traefik's defaults unless overridden. */
export function rules(
  over: Partial<Omit<ContainerRules, 'defaultRule' | 'constraints'>> & {
    defaultRule?: string;
    constraints?: string;
  } = {},
): ContainerRules {
  return {
    exposedByDefault: true,
    useBindPortIP: false,
    allowEmptyServices: false,
    ...over,
    defaultRule: compileTemplate(over.defaultRule ?? 'Host(`{{ normalize .Name }}`)'),
    constraints: compileConstraints(over.constraints),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: test access to a raw tree
export type Any = any;

/** The provider's snapshot of `containers`, its raw tree typed loosely for assertions. */
export const build = (containers: ContainerData[], r = rules()) =>
  buildSnapshot(containers, r) as { config: Any; issues: { message: string; source?: string }[] };
