/**
 * Constants of the http-wasm handler ABI (module `http_handler`), as Traefik's WASM plugins use it.
 * See docs/design/wasm-plugins.md for what Switchyard implements of it.
 */

/** The import module of the host functions. */
export const HOST_MODULE = 'http_handler';
/** The WASI module TinyGo and Rust guests may import. */
export const WASI_MODULE = 'wasi_snapshot_preview1';

/** `header_kind`: which header map a call reads or changes. */
export const HeaderKind = { request: 0, response: 1, requestTrailers: 2, responseTrailers: 3 } as const;
/** `body_kind`: which body a call reads or writes. */
export const BodyKind = { request: 0, response: 1 } as const;
/** `features` bits the guest asks for with `enable_features`. */
export const Feature = { bufferRequest: 1, bufferResponse: 2, trailers: 4 } as const;
/** The features this host grants: the request body can be buffered; response buffering and trailers not. */
export const GRANTED_FEATURES = Feature.bufferRequest;

/** `log_level` → the log level Switchyard logs at (`none`, 3, logs nothing). */
export const LOG_LEVELS: Record<number, 'DEBUG' | 'INFO' | 'WARN' | 'ERROR'> = {
  [-1]: 'DEBUG',
  0: 'INFO',
  1: 'WARN',
  2: 'ERROR',
};

/** The host functions of `http_handler`, by name (the import check at load uses it). */
export const HOST_FUNCTIONS = [
  'log',
  'log_enabled',
  'get_config',
  'enable_features',
  'get_method',
  'set_method',
  'get_uri',
  'set_uri',
  'get_protocol_version',
  'get_header_names',
  'get_header_values',
  'set_header_value',
  'add_header_value',
  'remove_header',
  'read_body',
  'write_body',
  'get_status_code',
  'set_status_code',
  'get_source_addr',
] as const;
