/**
 * The generic schema walker shared by the static and the dynamic configuration: `normalize()` (validate,
 * convert, apply defaults), `redact()` (hide secrets), `schemaAt()` and the issue type.
 */
export { describeSchema, isDuration, isSecret, kindOf } from './describe.js';
export { type ConfigIssue, formatIssues } from './issues.js';
export * from './kinds.js';
export { type NormalizeOptions, type NormalizeResult, normalize, type PathSegment } from './normalize.js';
export { REDACTED, redact } from './redact.js';
export { schemaAt } from './schema-at.js';
