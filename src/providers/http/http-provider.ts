import type * as UndiciLib from 'undici';
import type { Agent } from 'undici';
import { errorMessage, SwitchyardError } from '../../core/errors.js';
import { lazyModule } from '../../core/lazy-module.js';
import type { Logger } from '../../core/logger.js';
import type { Provider, ProviderSnapshot } from '../contract.js';
import { type ClientTls, readClientTls } from '../kv/client-tls.js';
import { sleep } from '../kv/wait.js';
import { parseConfigBody } from './parse-body.js';

/** undici, loaded when first used. */
const undici = lazyModule<typeof UndiciLib>('undici');

/** `providers.http` (reference §1.3). Durations in ms. */
export interface HttpProviderOptions {
  endpoint: string;
  /** Time between two polls (default 5000); 0 polls once. */
  pollInterval?: number;
  /** How long one poll may take (default 5000). */
  pollTimeout?: number;
  headers?: Record<string, string>;
  tls?: ClientTls;
  /** Largest body accepted, in bytes; -1 (default) means no limit. */
  maxResponseBodySize?: number;
  logger: Logger;
}

/**
 * The HTTP provider: polls an endpoint that answers a whole dynamic configuration in JSON or YAML. It sends
 * `If-None-Match` with the last `ETag`, so an unchanged configuration costs a 304. A failed poll keeps the
 * last good configuration, with the failure among its issues.
 *
 * @example new HttpProvider({ endpoint: 'http://config.internal/dynamic', pollInterval: 5000, logger })
 */
export class HttpProvider implements Provider {
  readonly name = 'http';
  private readonly log: Logger;
  private readonly agent: Agent;
  private etag: string | undefined;
  private good: ProviderSnapshot | undefined;

  constructor(private readonly opts: HttpProviderOptions) {
    this.log = opts.logger.child({ providerName: 'http' });
    const tls = opts.tls && readClientTls(opts.tls);
    this.agent = new (undici().Agent)({
      connect: tls
        ? { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: !tls.insecureSkipVerify }
        : undefined,
    });
  }

  async provide(emit: (snapshot: ProviderSnapshot) => void, signal: AbortSignal): Promise<void> {
    const interval = this.opts.pollInterval ?? 5000;
    try {
      do {
        const snapshot = await this.poll(signal);
        if (signal.aborted) break;
        if (snapshot) emit(snapshot);
        if (interval > 0) await sleep(interval, signal);
      } while (interval > 0 && !signal.aborted);
    } finally {
      await this.agent.close().catch(() => undefined);
    }
  }

  /** One poll: a new snapshot, or undefined when the endpoint says nothing changed. */
  private async poll(signal: AbortSignal): Promise<ProviderSnapshot | undefined> {
    const { endpoint } = this.opts;
    try {
      const config = await this.fetchConfig(signal);
      if (config === undefined) return undefined;
      this.good = { config, issues: [] };
      return this.good;
    } catch (err) {
      if (signal.aborted) return undefined;
      const message = `cannot read ${endpoint}: ${errorMessage(err)}; the last good configuration stays in use`;
      this.log.warn(message);
      const base = this.good ?? { config: {}, issues: [] };
      return { ...base, issues: [{ message, source: endpoint }] };
    }
  }

  private async fetchConfig(signal: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.opts.pollTimeout || 5000);
    const headers: Record<string, string> = { ...this.opts.headers };
    if (this.etag) headers['if-none-match'] = this.etag;
    const res = await undici().request(this.opts.endpoint, {
      dispatcher: this.agent,
      headers,
      signal: AbortSignal.any([signal, timeout]),
    });
    if (res.statusCode === 304) {
      await res.body.dump();
      return undefined;
    }
    const limit = this.opts.maxResponseBodySize ?? -1;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (limit >= 0 && size > limit) {
        res.body.destroy();
        throw new SwitchyardError('PROVIDER_READ', `the body is larger than ${limit} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    if (res.statusCode !== 200) {
      throw new SwitchyardError('PROVIDER_READ', `the endpoint answered ${res.statusCode}`);
    }
    const type = res.headers['content-type'];
    const config = parseConfigBody(
      Buffer.concat(chunks).toString('utf8'),
      Array.isArray(type) ? type[0] : type,
    );
    const etag = res.headers.etag;
    this.etag = typeof etag === 'string' ? etag : undefined;
    return config;
  }
}
