import { decodeFlatKeys } from '../../config/codec/index.js';
import { convertV1Dynamic } from '../../config/v1/dynamic.js';
import type { ProviderIssue, ProviderSnapshot } from '../contract.js';

/** Top-level keys that mark Traefik v1's layout (`<prefix>/frontends/…`, `<prefix>/backends/…`). */
const V1_KEYS = new Set(['frontends', 'backends']);
const V3_KEYS = new Set(['http', 'tcp', 'udp', 'tls']);

/**
 * The pairs under `dir` → a provider snapshot. Traefik v3 keys (`<dir>/http/routers/…`) decode as they
 * are; Traefik v1 keys (`<dir>/frontends/…`, `<dir>/backends/…`) are converted to the v3 model, their
 * warnings reported as issues. Both layouts in one directory: the v3 keys are used, and that is reported.
 */
export function snapshotFromPairs(pairs: [string, string][], dir: string, source: string): ProviderSnapshot {
  const tree = decodeFlatKeys(pairs, { separator: '/', prefix: dir }) as Record<string, unknown>;
  const top = Object.keys(tree).map((k) => k.toLowerCase());
  const issues: ProviderIssue[] = [];
  const where = `${source}:${dir}`;
  const isV1 = top.some((k) => V1_KEYS.has(k));
  const isV3 = top.some((k) => V3_KEYS.has(k));
  if (isV1 && !isV3) {
    const { config, warnings, errors } = convertV1Dynamic(tree);
    for (const w of warnings) issues.push({ message: `v1 keys: ${w}`, source: where });
    for (const { element, message } of errors) issues.push({ message, source: where, element });
    return { config, issues };
  }
  let config: Record<string, unknown> = tree;
  if (isV1) {
    issues.push({
      message:
        'both v1 (frontends/backends) and v3 (http/tcp/udp/tls) keys are present; the v1 keys are ignored',
      source: where,
    });
    config = Object.fromEntries(Object.entries(tree).filter(([k]) => !V1_KEYS.has(k.toLowerCase())));
  }
  return {
    config,
    issues,
    locate: (path) => `${where}/${path.join('/')}`,
  };
}
