import { type Static, Type } from '@sinclair/typebox';
import type { Declaration } from '../../core/registry.js';
import { authOptions } from '../auth-schema.js';

/** `digestAuth` options (reference §3.1). */
export const DigestAuthOptions = Type.Object(authOptions('name:realm:md5(name:realm:password)'), {
  additionalProperties: false,
});
export type DigestAuthOptions = Static<typeof DigestAuthOptions>;

/** `digestAuth`: key and schema (what validation needs; the factory is in index.ts). */
export const digestAuthDeclaration = { type: 'digestAuth', schema: DigestAuthOptions } satisfies Declaration;
