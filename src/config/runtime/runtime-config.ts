/**
 * RuntimeConfig: what Switchyard is actually running, per element, with status and errors — what the API
 * serves and what `switchyard check` prints. Built by the graph builder from the merged configuration.
 */
export type ElementStatus = 'enabled' | 'disabled' | 'warning';

export interface RuntimeElement<C = unknown> {
  /** Qualified name, `name@provider`. */
  name: string;
  provider: string;
  /** The element's configuration (secrets redacted when served); absent when it failed validation. */
  config: C | undefined;
  status: ElementStatus;
  errors: string[];
  /** Routers using a middleware or service; services using a serversTransport… */
  usedBy: string[];
}

export interface RuntimeRouter extends RuntimeElement {
  entryPoints: string[];
  /** True when the router only serves HTTPS (`tls` set). */
  tls: boolean;
  priority: number;
  /** HTTPS routers: the TLS options set served (after conflicts), the resolver, the hosts of the rule. */
  tlsInfo?: { slot: { name: string }; certResolver?: string; hosts: string[] };
}

export interface RuntimeService extends RuntimeElement {
  /** Server URL → `UP` | `DOWN`; live (read from the health states) once the service is built. */
  serverStatus?: Record<string, 'UP' | 'DOWN'>;
}

/** Makes `service.serverStatus` read `read()` on every access, so the API follows health without a reload. */
export function liveServerStatus(service: RuntimeService, read: () => Record<string, 'UP' | 'DOWN'>): void {
  Object.defineProperty(service, 'serverStatus', { get: read, enumerable: true, configurable: true });
}

export interface RuntimeConfig {
  routers: Record<string, RuntimeRouter>;
  services: Record<string, RuntimeService>;
  middlewares: Record<string, RuntimeElement>;
  /** Errors not tied to one element (a certificate, a provider source). */
  other: { source: string; message: string }[];
  /** The `tcp` section (absent in runtimes built without TCP, e.g. in tests). */
  tcp?: RuntimeTcp;
  /** The `udp` section (absent in runtimes built without UDP). */
  udp?: RuntimeUdp;
  /** What is served over TLS: certificates, options sets, ACME resolvers (for the API). */
  tls?: RuntimeTls;
}

/** A served certificate, as the API shows it. */
export interface RuntimeCertificate {
  names: string[];
  commonName: string | undefined;
  notAfter: Date;
  serial: string;
  role: string;
}

export interface RuntimeTls {
  certificates: readonly RuntimeCertificate[];
  options: string[];
  certResolvers: string[];
}

/** TCP routers, services and middlewares with their status (what `/api/tcp/*` serves). */
export interface RuntimeTcp {
  routers: Record<string, RuntimeRouter>;
  services: Record<string, RuntimeService>;
  middlewares: Record<string, RuntimeElement>;
}

/** UDP routers and services with their status (what `/api/udp/*` serves). */
export interface RuntimeUdp {
  routers: Record<string, RuntimeRouter>;
  services: Record<string, RuntimeService>;
}

/** Adds an error to an element and disables it (or marks a warning). */
export function recordError(
  element: RuntimeElement,
  message: string,
  severity: 'disable' | 'warn' = 'disable',
): void {
  if (!element.errors.includes(message)) element.errors.push(message);
  if (severity === 'disable') element.status = 'disabled';
  else if (element.status === 'enabled') element.status = 'warning';
}

/**
 * Every error of a runtime configuration, one line each (`router api@file: service "x@file" does not
 * exist`). The problems of an element still running (status `warning`) are `listWarnings`'.
 */
export function listErrors(runtime: RuntimeConfig): string[] {
  return listProblems(runtime).errors;
}

/** The problems of elements that run anyway (status `warning`), one line each, as `listErrors`. */
export function listWarnings(runtime: RuntimeConfig): string[] {
  return listProblems(runtime).warnings;
}

/**
 * `listErrors` and `listWarnings` in one pass over the elements (with 10,000 routers, walking them once
 * per list was a visible part of an apply).
 */
export function listProblems(runtime: RuntimeConfig): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const [kind, map] of [
    ['router', runtime.routers],
    ['service', runtime.services],
    ['middleware', runtime.middlewares],
    ['tcp router', runtime.tcp?.routers],
    ['tcp service', runtime.tcp?.services],
    ['tcp middleware', runtime.tcp?.middlewares],
    ['udp router', runtime.udp?.routers],
    ['udp service', runtime.udp?.services],
  ] as const) {
    for (const name in map) {
      const el: RuntimeElement = map[name]!;
      if (el.errors.length === 0) continue;
      const out = el.status === 'warning' ? warnings : errors;
      for (const e of el.errors) out.push(`${kind} ${el.name}: ${e}`);
    }
  }
  for (const o of runtime.other) errors.push(`${o.source}: ${o.message}`);
  return { errors, warnings };
}
