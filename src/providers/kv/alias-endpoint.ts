import { SwitchyardError } from '../../core/errors.js';
import type { ProviderSnapshot } from '../contract.js';
import { parseConfigBody } from '../http/parse-body.js';

/** How long one request to the configuration service may take. */
const TIMEOUT_MS = 5000;

/**
 * Fetches the configuration for an alias value from an HTTP configuration service: `{alias}` in the
 * template is replaced by the value (`http://config/dirs{alias}` → `http://config/dirs/traefik/dev/v2`).
 * The body is a dynamic configuration in JSON or YAML. Throws when the service fails, so the caller keeps
 * its last good configuration and retries.
 */
export async function fetchAliasConfig(template: string, alias: string): Promise<ProviderSnapshot> {
  const url = template.replaceAll('{alias}', alias);
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  const body = await res.text();
  if (!res.ok) {
    throw new SwitchyardError('PROVIDER_READ', `${url} answered ${res.status}`);
  }
  return { config: parseConfigBody(body, res.headers.get('content-type') ?? undefined), issues: [] };
}
