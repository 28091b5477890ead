/**
 * Traefik v1 compatibility: one converter from v1 configuration (static TOML, dynamic `[backends]` /
 * `[frontends]` from files and KV stores, Docker labels) into Switchyard's v3 model.
 */
export { isV1Dynamic, isV1Static, whyNotV1 } from './detect.js';
export { convertV1Dynamic, type V1Conversion, type V1ElementError } from './dynamic.js';
export { convertV1Labels, type V1Container } from './labels.js';
export { type ConvertedRule, convertV1Rules, type V1Modifier } from './rules.js';
export { convertV1Static, type V1StaticConversion, v1StrictSlash } from './static.js';
