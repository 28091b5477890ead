import type { TSchema } from '@sinclair/typebox';
import { HttpRouter } from './http-routers.js';
import { HttpService } from './http-services.js';
import { ServersTransport } from './servers-transport.js';
import { TcpRouter, TcpServersTransport, TcpService, UdpRouter, UdpService } from './tcp-udp.js';
import { type TlsCertificate, TlsOptions, TlsStore } from './tls.js';

export * from './http-routers.js';
export * from './http-services.js';
export * from './servers-transport.js';
export * from './tcp-udp.js';
export * from './tls.js';

/**
 * A middleware element after validation: its type key in canonical spelling (`stripPrefix`) and its
 * options normalized against that middleware's own schema (src/middlewares/<type>/schema.ts).
 */
export interface MiddlewareConfig {
  type: string;
  options: unknown;
}

/**
 * Dynamic configuration: plain data, no behaviour. Element maps are keyed by name — unqualified inside one
 * provider's snapshot, qualified as `name@provider` once the watcher has merged the providers.
 */
export interface DynamicConfig {
  http: {
    routers: Record<string, HttpRouter>;
    services: Record<string, HttpService>;
    middlewares: Record<string, MiddlewareConfig>;
    serversTransports: Record<string, ServersTransport>;
  };
  tcp: {
    routers: Record<string, TcpRouter>;
    services: Record<string, TcpService>;
    middlewares: Record<string, MiddlewareConfig>;
    serversTransports: Record<string, TcpServersTransport>;
  };
  udp: { routers: Record<string, UdpRouter>; services: Record<string, UdpService> };
  tls: {
    certificates: TlsCertificate[];
    options: Record<string, TlsOptions>;
    stores: Record<string, TlsStore>;
  };
}

/** A fresh empty configuration. */
export function emptyDynamicConfig(): DynamicConfig {
  return {
    http: { routers: {}, services: {}, middlewares: {}, serversTransports: {} },
    tcp: { routers: {}, services: {}, middlewares: {}, serversTransports: {} },
    udp: { routers: {}, services: {} },
    tls: { certificates: [], options: {}, stores: {} },
  };
}

/**
 * The named-element sections and the schema of one element. Elements are validated one by one so that a
 * broken element disables only itself. `middlewares` sections are validated through the middleware
 * registry (schema `undefined` here).
 */
export const ELEMENT_SECTIONS: readonly {
  section: 'http' | 'tcp' | 'udp' | 'tls';
  kind: string;
  schema?: TSchema;
}[] = [
  { section: 'http', kind: 'routers', schema: HttpRouter },
  { section: 'http', kind: 'services', schema: HttpService },
  { section: 'http', kind: 'middlewares' },
  { section: 'http', kind: 'serversTransports', schema: ServersTransport },
  { section: 'tcp', kind: 'routers', schema: TcpRouter },
  { section: 'tcp', kind: 'services', schema: TcpService },
  { section: 'tcp', kind: 'middlewares' },
  { section: 'tcp', kind: 'serversTransports', schema: TcpServersTransport },
  { section: 'udp', kind: 'routers', schema: UdpRouter },
  { section: 'udp', kind: 'services', schema: UdpService },
  { section: 'tls', kind: 'options', schema: TlsOptions },
  { section: 'tls', kind: 'stores', schema: TlsStore },
];
