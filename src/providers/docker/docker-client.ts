import http from 'node:http';
import https from 'node:https';
import { errorMessage, SwitchyardError } from '../../core/errors.js';
import { readFileOrContent } from '../../tls/load.js';

/** How to reach the engine: `endpoint` plus the provider's `tls`, `username`, `password`. */
export interface DockerEndpointOptions {
  /** `unix:///var/run/docker.sock`, `tcp://host:2375` (`https` when `tls` is set), `http(s)://host:port`. */
  endpoint: string;
  tls?: { ca?: string; cert?: string; key?: string; insecureSkipVerify?: boolean } | undefined;
  username?: string | undefined;
  password?: string | undefined;
  /** Timeout (ms) of each non-streaming request; 0: none. The events stream never times out. */
  timeoutMs?: number;
}

interface Target {
  lib: typeof http | typeof https;
  base: http.RequestOptions | https.RequestOptions;
  describe: string;
}

function resolveTarget(opts: DockerEndpointOptions): Target {
  const { endpoint, tls } = opts;
  const base: https.RequestOptions = {};
  if (opts.username !== undefined || opts.password !== undefined) {
    base.auth = `${opts.username ?? ''}:${opts.password ?? ''}`;
  }
  if (endpoint.startsWith('unix://')) {
    const socketPath = endpoint.slice('unix://'.length);
    if (!socketPath)
      throw new SwitchyardError('CONFIG_INVALID', `docker endpoint "${endpoint}": no socket path`);
    return { lib: http, base: { ...base, socketPath, host: 'docker' }, describe: socketPath };
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new SwitchyardError('CONFIG_INVALID', `docker endpoint "${endpoint}" is not a URL`);
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'tcp:' && tls !== undefined);
  if (!['tcp:', 'http:', 'https:'].includes(url.protocol)) {
    throw new SwitchyardError(
      'CONFIG_INVALID',
      `docker endpoint "${endpoint}": unsupported scheme (use unix://, tcp://, http:// or https://)`,
    );
  }
  base.host = url.hostname.replace(/^\[|\]$/g, '');
  base.port = Number(url.port || (secure ? 2376 : 2375));
  if (secure) {
    const read = (v: string | undefined, what: string) => (v ? readFileOrContent(v, what) : undefined);
    try {
      base.ca = read(tls?.ca, 'the CA');
      base.cert = read(tls?.cert, 'the certificate');
      base.key = read(tls?.key, 'the key');
    } catch (err) {
      throw new SwitchyardError('CONFIG_INVALID', `providers.docker.tls: ${errorMessage(err)}`, {
        cause: err,
      });
    }
    base.rejectUnauthorized = !tls?.insecureSkipVerify;
  }
  return { lib: secure ? https : http, base, describe: `${base.host}:${base.port}` };
}

/**
 * A minimal Docker Engine API client over node:http (unix socket, TCP, TLS): JSON GETs and the events
 * stream. Paths are unversioned, so the engine answers with its current API version (Docker and podman
 * both serve them).
 */
export class DockerClient {
  private readonly target: Target;

  constructor(private readonly opts: DockerEndpointOptions) {
    this.target = resolveTarget(opts);
  }

  /** Where the engine is, for messages. */
  get address(): string {
    return this.target.describe;
  }

  /** GET `path` and parse the JSON answer; rejects with PROVIDER_READ on a failure or a non-2xx status. */
  getJson<T>(path: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const req = this.request(path, undefined, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(this.failure(path, err)));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString();
          if ((res.statusCode ?? 0) >= 300) {
            reject(this.failure(path, new Error(`status ${res.statusCode}: ${body.trim().slice(0, 200)}`)));
            return;
          }
          try {
            resolve(JSON.parse(body) as T);
          } catch (err) {
            reject(this.failure(path, err));
          }
        });
      });
      const timeout = this.opts.timeoutMs ?? 0;
      if (timeout > 0)
        req.setTimeout(timeout, () => req.destroy(new Error(`no answer within ${timeout} ms`)));
      req.on('error', (err) => reject(this.failure(path, err)));
      req.end();
    });
  }

  /**
   * Follows the events stream (newline-delimited JSON), calling `onEvent` per event and `onOpen` once the
   * engine has answered. Resolves when the stream ends (engine stopped) or `signal` aborts; rejects when
   * it cannot be opened.
   */
  streamEvents(
    path: string,
    onEvent: (event: Record<string, unknown>) => void,
    onOpen: () => void,
    signal: AbortSignal,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let opened = false;
      const req = this.request(path, signal, (res) => {
        if ((res.statusCode ?? 0) >= 300) {
          res.resume();
          reject(this.failure(path, new Error(`status ${res.statusCode}`)));
          return;
        }
        opened = true;
        onOpen();
        let partial = '';
        res.setEncoding('utf8');
        res.on('data', (text: string) => {
          const lines = (partial + text).split('\n');
          partial = lines.pop() ?? '';
          for (const line of lines) {
            if (!line.trim()) continue;
            try {
              onEvent(JSON.parse(line) as Record<string, unknown>);
            } catch {
              // A line that is not JSON is not an event: ignore it, the next refresh lists everything anyway.
            }
          }
        });
        res.on('error', () => resolve());
        res.on('close', () => resolve());
      });
      req.on('error', (err) => (opened || signal.aborted ? resolve() : reject(this.failure(path, err))));
      req.end();
    });
  }

  private request(
    path: string,
    signal: AbortSignal | undefined,
    onResponse: (res: http.IncomingMessage) => void,
  ): http.ClientRequest {
    const { lib, base } = this.target;
    return (lib as typeof http).request({ ...base, path, method: 'GET', agent: false, signal }, onResponse);
  }

  private failure(path: string, err: unknown): SwitchyardError {
    return new SwitchyardError(
      'PROVIDER_READ',
      `docker engine at ${this.target.describe}: GET ${path.split('?')[0]}: ${errorMessage(err)}`,
      { cause: err },
    );
  }
}
