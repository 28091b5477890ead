import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { errorMessage, SwitchyardError } from '../../core/errors.js';

const run = promisify(execFile);

/** Publishes and removes the DNS-01 TXT record (`_acme-challenge.<domain>.`). */
export interface DnsProvider {
  present(fqdn: string, value: string): Promise<void>;
  cleanup(fqdn: string, value: string): Promise<void>;
}

/** The DNS providers built so far, by Traefik's (lego's) name. */
export const DNS_PROVIDERS = ['exec', 'httpreq'] as const;

/**
 * A DNS provider configured as in Traefik, from environment variables:
 *
 * - `exec`: runs `EXEC_PATH present <fqdn> <value>` and `EXEC_PATH cleanup <fqdn> <value>`;
 * - `httpreq`: POSTs `{"fqdn": …, "value": …}` as JSON to `HTTPREQ_ENDPOINT/present` and `/cleanup`, with
 *   basic authentication when `HTTPREQ_USERNAME` and `HTTPREQ_PASSWORD` are set.
 *
 * The `RAW` modes (`EXEC_MODE`, `HTTPREQ_MODE`) are not built.
 *
 * @throws SwitchyardError `CONFIG_INVALID` for another provider, a RAW mode or a missing variable.
 */
export function dnsProvider(name: string, env: NodeJS.ProcessEnv = process.env): DnsProvider {
  const need = (key: string): string => {
    const value = env[key];
    if (!value) throw new SwitchyardError('CONFIG_INVALID', `DNS provider ${name}: ${key} is not set`);
    return value;
  };
  if (name === 'exec') {
    if (env.EXEC_MODE?.toUpperCase() === 'RAW')
      throw new SwitchyardError('CONFIG_INVALID', 'DNS provider exec: EXEC_MODE=RAW is not supported yet');
    const path = need('EXEC_PATH');
    const call = async (action: string, fqdn: string, value: string) => {
      try {
        await run(path, [action, fqdn, value], { timeout: 60_000 });
      } catch (err) {
        throw new SwitchyardError(
          'UPSTREAM_FAILED',
          `DNS provider exec: ${path} ${action} failed: ${errorMessage(err)}`,
        );
      }
    };
    return { present: (f, v) => call('present', f, v), cleanup: (f, v) => call('cleanup', f, v) };
  }
  if (name === 'httpreq') {
    if (env.HTTPREQ_MODE?.toUpperCase() === 'RAW')
      throw new SwitchyardError(
        'CONFIG_INVALID',
        'DNS provider httpreq: HTTPREQ_MODE=RAW is not supported yet',
      );
    const endpoint = need('HTTPREQ_ENDPOINT').replace(/\/+$/, '');
    const user = env.HTTPREQ_USERNAME;
    const auth = user
      ? `Basic ${Buffer.from(`${user}:${env.HTTPREQ_PASSWORD ?? ''}`).toString('base64')}`
      : undefined;
    const call = async (action: string, fqdn: string, value: string) => {
      let status: number;
      try {
        const res = await fetch(`${endpoint}/${action}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
          body: JSON.stringify({ fqdn, value }),
          signal: AbortSignal.timeout(60_000),
        });
        status = res.status;
        await res.arrayBuffer();
      } catch (err) {
        throw new SwitchyardError(
          'UPSTREAM_FAILED',
          `DNS provider httpreq: ${endpoint}/${action}: ${errorMessage(err)}`,
        );
      }
      if (status >= 300) {
        throw new SwitchyardError(
          'UPSTREAM_FAILED',
          `DNS provider httpreq: ${endpoint}/${action} answered ${status}`,
        );
      }
    };
    return { present: (f, v) => call('present', f, v), cleanup: (f, v) => call('cleanup', f, v) };
  }
  throw new SwitchyardError(
    'CONFIG_INVALID',
    `DNS provider "${name}" is not supported yet (built: ${DNS_PROVIDERS.join(', ')})`,
  );
}
