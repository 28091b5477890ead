import type { DynamicConfig } from '../config/dynamic/index.js';
import type { StaticConfig } from '../config/static/index.js';

/**
 * The shape a configuration is written in, from the shape Switchyard holds after validation: every key
 * optional (defaults apply), and durations (numbers of milliseconds once validated) also given as Go
 * durations (`"10s"`) or numbers of seconds, as in a file.
 */
export type ConfigInput<T> = T extends number
  ? number | string
  : T extends readonly (infer E)[]
    ? ConfigInput<E>[] | string
    : T extends object
      ? { [K in keyof T]?: ConfigInput<T[K]> }
      : T;

/** A static configuration object: the keys of a Traefik v3 static file (`entryPoints`, `providers`, `log`…). */
export type StaticConfigInput = ConfigInput<StaticConfig>;

/**
 * A dynamic configuration object: the keys of a Traefik v3 dynamic file. Middlewares are written as in a
 * file, `{ <type>: options }` (`{ stripPrefix: { prefixes: ['/api'] } }`).
 */
export interface DynamicConfigInput {
  http?: {
    routers?: Record<string, ConfigInput<DynamicConfig['http']['routers'][string]>>;
    services?: Record<string, ConfigInput<DynamicConfig['http']['services'][string]>>;
    middlewares?: Record<string, Record<string, unknown>>;
    serversTransports?: Record<string, ConfigInput<DynamicConfig['http']['serversTransports'][string]>>;
  };
  tcp?: Record<string, unknown>;
  udp?: Record<string, unknown>;
  tls?: ConfigInput<DynamicConfig['tls']>;
}
