import { Type } from '@sinclair/typebox';
import { StringList } from '../config/schema/kinds.js';

/** Options shared by basicAuth and digestAuth (reference §3.1). */
export const authOptions = (userFormat: string) => ({
  users: Type.Optional(StringList({ description: `users as ${userFormat}` })),
  usersFile: Type.Optional(Type.String({ description: 'file with one user per line, merged with users' })),
  realm: Type.String({ default: 'traefik', description: 'realm sent in the challenge' }),
  headerField: Type.Optional(
    Type.String({ description: 'request header that receives the authenticated user' }),
  ),
  removeHeader: Type.Boolean({ default: false, description: 'remove Authorization before forwarding' }),
});
