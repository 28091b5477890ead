import { type Static, Type } from '@sinclair/typebox';
import type { Declaration } from '../../core/registry.js';
import { authOptions } from '../auth-schema.js';

/** `basicAuth` options (reference §3.1). */
export const BasicAuthOptions = Type.Object(authOptions('name:hash (htpasswd: MD5-apr1, SHA1, bcrypt)'), {
  additionalProperties: false,
});
export type BasicAuthOptions = Static<typeof BasicAuthOptions>;

/** `basicAuth`: key and schema (what validation needs; the factory is in index.ts). */
export const basicAuthDeclaration = { type: 'basicAuth', schema: BasicAuthOptions } satisfies Declaration;
