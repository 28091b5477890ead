import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Logger } from '../../core/logger.js';
import { routingPath } from '../../entrypoints/request-context.js';
import { hasRequestBody } from '../../middlewares/body-reader.js';
import { appendRequestHeader } from '../../middlewares/request-rewrite.js';
import { BodyKind, GRANTED_FEATURES, HeaderKind, LOG_LEVELS } from './abi.js';
import type { Exchange } from './exchange.js';

/** What the host functions of one guest instance work on. */
export interface HostState {
  /** The guest's exported memory (set once instantiated). */
  memory: WebAssembly.Memory | undefined;
  /** The request the guest is running for; undefined during initialisation. */
  exchange: Exchange | undefined;
  /** The plugin options as JSON. */
  readonly config: Buffer;
  readonly logger: Logger;
  /** Features granted so far (shared by the middleware's instances). */
  features: { value: number };
}

/** A failure of the guest's use of the ABI: fails the request like a trap. */
export class AbiError extends Error {}

/**
 * The `http_handler` import object of one guest instance (http-wasm handler ABI). Every function checks
 * the guest's pointers against its memory and throws an AbiError for a call it cannot honour.
 */
export function hostFunctions(state: HostState): Record<string, (...args: number[]) => unknown> {
  const bytes = (ptr: number, len: number): Buffer => {
    const mem = state.memory;
    if (!mem) throw new AbiError('the guest exports no memory');
    if (ptr < 0 || len < 0 || ptr + len > mem.buffer.byteLength) {
      throw new AbiError(`memory access out of bounds (${ptr}+${len})`);
    }
    return Buffer.from(mem.buffer, ptr, len);
  };
  const text = (ptr: number, len: number) => bytes(ptr, len).toString('latin1');
  /** Writes `data` at `ptr` when it fits in `limit`; returns its length either way (the ABI's contract). */
  const writeIfFits = (ptr: number, limit: number, data: Buffer): number => {
    if (data.length <= limit) data.copy(bytes(ptr, data.length));
    return data.length;
  };
  const writeText = (ptr: number, limit: number, value: string) =>
    writeIfFits(ptr, limit, Buffer.from(value, 'latin1'));
  /** NUL-terminated `items` written when they fit; returns count << 32 | length. */
  const writeList = (ptr: number, limit: number, items: string[]): bigint => {
    const data = Buffer.from(items.map((i) => `${i}\0`).join(''), 'latin1');
    return (BigInt(items.length) << 32n) | BigInt(writeIfFits(ptr, limit, data));
  };
  const exchange = (): Exchange => {
    const ex = state.exchange;
    if (!ex) throw new AbiError('the request is only available in handle_request and handle_response');
    return ex;
  };
  /** The header map of `kind`; undefined for trailers (not granted). */
  const headerMap = (kind: number, forWrite: boolean): IncomingHttpHeaders | OutgoingHttpHeaders => {
    const ex = exchange();
    if (kind === HeaderKind.request) {
      if (forWrite && ex.phase === 'response') throw new AbiError('request headers cannot change after next');
      return ex.ctx.req.headers;
    }
    if (kind === HeaderKind.response) {
      ex.responseHeaders ??= {};
      return ex.responseHeaders;
    }
    if (kind === HeaderKind.requestTrailers || kind === HeaderKind.responseTrailers) {
      if (forWrite) throw new AbiError('trailers are not supported (the trailers feature is not granted)');
      return {};
    }
    throw new AbiError(`unknown header kind ${kind}`);
  };
  const values = (v: unknown): string[] =>
    v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];

  return {
    log(level, ptr, len) {
      const lvl = LOG_LEVELS[level];
      if (lvl && state.logger.enabled(lvl)) state.logger.log(lvl, bytes(ptr, len).toString('utf8'));
    },
    log_enabled(level) {
      const lvl = LOG_LEVELS[level];
      return lvl && state.logger.enabled(lvl) ? 1 : 0;
    },
    get_config: (ptr, limit) => writeIfFits(ptr, limit, state.config),
    enable_features(wanted) {
      state.features.value |= wanted & GRANTED_FEATURES;
      return state.features.value;
    },
    get_method: (ptr, limit) => writeText(ptr, limit, exchange().ctx.req.method ?? 'GET'),
    set_method(ptr, len) {
      const method = text(ptr, len);
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method))
        throw new AbiError(`invalid method ${JSON.stringify(method)}`);
      exchange().ctx.req.method = method;
    },
    get_uri: (ptr, limit) => writeText(ptr, limit, exchange().ctx.req.url ?? '/'),
    set_uri(ptr, len) {
      const uri = text(ptr, len);
      if (!uri.startsWith('/') || /[\s\0]/.test(uri))
        throw new AbiError(`invalid URI ${JSON.stringify(uri)}`);
      const ctx = exchange().ctx;
      const q = uri.indexOf('?');
      ctx.req.url = uri;
      ctx.path = routingPath(q === -1 ? uri : uri.slice(0, q));
      (ctx as { rawQuery: string }).rawQuery = q === -1 ? '' : uri.slice(q + 1);
    },
    get_protocol_version: (ptr, limit) =>
      writeText(ptr, limit, `HTTP/${exchange().ctx.req.httpVersion || '1.1'}`),
    get_header_names: (kind, ptr, limit) => writeList(ptr, limit, Object.keys(headerMap(kind, false))),
    get_header_values: (kind, name, nameLen, ptr, limit) =>
      writeList(ptr, limit, values(headerMap(kind, false)[text(name, nameLen).toLowerCase()])),
    set_header_value(kind, name, nameLen, value, valueLen) {
      headerMap(kind, true)[text(name, nameLen).toLowerCase()] = text(value, valueLen);
    },
    add_header_value(kind, name, nameLen, value, valueLen) {
      const map = headerMap(kind, true);
      const key = text(name, nameLen).toLowerCase();
      if (kind === HeaderKind.request)
        appendRequestHeader(map as IncomingHttpHeaders, key, text(value, valueLen));
      else map[key] = [...values(map[key]), text(value, valueLen)];
    },
    remove_header(kind, name, nameLen) {
      delete headerMap(kind, true)[text(name, nameLen).toLowerCase()];
    },
    read_body(kind, ptr, limit) {
      const ex = exchange();
      if (kind === BodyKind.response) {
        if (ex.phase === 'request') return 1n << 32n; // nothing yet: EOF
        throw new AbiError('the response body is not buffered (the buffer_response feature is not granted)');
      }
      if (kind !== BodyKind.request) throw new AbiError(`unknown body kind ${kind}`);
      const body = requestBody(ex);
      const n = Math.min(limit, body.length - ex.requestBodyRead);
      if (n > 0) body.copy(bytes(ptr, n), 0, ex.requestBodyRead, ex.requestBodyRead + n);
      ex.requestBodyRead += n;
      const eof = ex.requestBodyRead >= body.length ? 1n : 0n;
      return (eof << 32n) | BigInt(n);
    },
    write_body(kind, ptr, len) {
      const ex = exchange();
      const data = Buffer.from(bytes(ptr, len));
      if (kind === BodyKind.response) {
        if (ex.phase === 'response') {
          throw new AbiError(
            'the response body is not buffered (the buffer_response feature is not granted)',
          );
        }
        ex.body.push(data);
        return;
      }
      if (kind !== BodyKind.request) throw new AbiError(`unknown body kind ${kind}`);
      if (ex.phase === 'response') throw new AbiError('the request body cannot change after next');
      const current = ex.requestBodyWritten ? requestBody(ex) : Buffer.alloc(0);
      ex.requestBodyWritten = true;
      setRequestBody(ex, Buffer.concat([current, data]));
    },
    get_status_code: () => exchange().status,
    set_status_code(status) {
      if (!Number.isInteger(status) || status < 100 || status > 999) {
        throw new AbiError(`invalid status code ${status}`);
      }
      exchange().status = status;
    },
    get_source_addr(ptr, limit) {
      const { clientIp, clientPort } = exchange().ctx;
      const host = clientIp.includes(':') ? `[${clientIp}]` : clientIp;
      return writeText(ptr, limit, `${host}:${clientPort}`);
    },
  };
}

function requestBody(ex: Exchange): Buffer {
  if (ex.requestBody) return ex.requestBody;
  if (!hasRequestBody(ex.ctx.req)) return Buffer.alloc(0);
  throw new AbiError(
    'the request body is not buffered: enable the buffer_request feature when the guest starts',
  );
}

function setRequestBody(ex: Exchange, body: Buffer): void {
  ex.requestBody = body;
  ex.ctx.replayBody = body;
  const headers = ex.ctx.req.headers;
  delete headers['transfer-encoding'];
  headers['content-length'] = String(body.length);
}
