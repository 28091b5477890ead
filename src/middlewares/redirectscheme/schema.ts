import { type Static, Type } from '@sinclair/typebox';
import type { Declaration } from '../../core/registry.js';

/** `redirectScheme` options (reference §3.1). */
export const RedirectSchemeOptions = Type.Object(
  {
    scheme: Type.String({ minLength: 1, description: 'scheme to redirect to', examples: ['https'] }),
    port: Type.Optional(
      Type.String({
        description: 'port to redirect to; unset means the default port of the scheme (no port in the URL)',
        examples: ['8443'],
      }),
    ),
    permanent: Type.Boolean({ default: false, description: 'send 301/308 instead of 302/307' }),
    forcePermanentRedirect: Type.Optional(
      Type.Boolean({ description: 'send 308 whatever the method (overrides permanent)' }),
    ),
  },
  { additionalProperties: false },
);
export type RedirectSchemeOptions = Static<typeof RedirectSchemeOptions>;

/** `redirectScheme`: key and schema (what validation needs; the factory is in index.ts). */
export const redirectSchemeDeclaration = {
  type: 'redirectScheme',
  schema: RedirectSchemeOptions,
} satisfies Declaration;
