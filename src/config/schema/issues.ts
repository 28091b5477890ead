import type { ErrorCode } from '../../core/errors.js';

/**
 * One problem found in a configuration source. `path` is dotted and uses the schema's canonical key names
 * (user-chosen names such as router names as written, list positions as numbers): `entryPoints.web.address`.
 * `source` says where the value came from when the loader knows: `switchyard.yml:12`,
 * `flag --entryPoints.web.address`, `env SWITCHYARD_LOG_LEVEL`.
 */
export interface ConfigIssue {
  path: string;
  message: string;
  source?: string;
  /** Catalogue code: CONFIG_UNKNOWN_KEY, CONFIG_TYPE, CONFIG_MISSING, CONFIG_INVALID or CONFIG_PARSE. */
  code?: ErrorCode;
}

/**
 * One line per issue, for terminals and logs: `switchyard.yml:12: entryPoints.web.port: expected …`.
 * Unknown-key messages already quote the full key, so their path is not repeated.
 *
 * @example formatIssues(issues) // "flag --api.insecur: unknown key \"api.insecur\" (did you mean \"insecure\"?)"
 */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map(formatIssue).join('\n');
}

function formatIssue(issue: ConfigIssue): string {
  let line = issue.source ? `${issue.source}: ` : '';
  if (issue.path && issue.code !== 'CONFIG_UNKNOWN_KEY') line += `${issue.path}: `;
  return line + issue.message;
}
