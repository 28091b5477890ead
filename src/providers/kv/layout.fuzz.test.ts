import { describe, it } from 'node:test';
import fc from 'fast-check';
import { assertClearMessage, RUNS, tokenText } from '../../../test/helpers/fuzz.js';
import { validateDynamic } from '../../config/dynamic/validate.js';
import { snapshotFromPairs } from './layout.js';

/** Key pieces of both layouts (v3 `http/routers/…`, v1 `frontends/…`), separators and indexes. */
const KEY_TOKENS = [
  'traefik/',
  'http/',
  'tcp/',
  'tls/',
  'frontends/',
  'backends/',
  'routers/',
  'services/',
  'middlewares/',
  'r/',
  'f1/',
  'b1/',
  'rule',
  'routes/x/rule',
  'servers/s/url',
  'loadBalancer/servers/0/url',
  'entryPoints/0',
  'entryPoints/7',
  'priority',
  '/',
  '//',
  '0/',
  'Host:a.test',
];

const VALUES = ['Host(`a`)', 'http://127.0.0.1:80', 'web', 'abc', '-5', 'true', ''];

describe('KV decoder: no set of keys crashes it', () => {
  it('any pairs under the directory decode to a snapshot whose problems are reported', () => {
    const pair = fc.tuple(tokenText(KEY_TOKENS, 8), tokenText(VALUES, 2));
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 12 }), (pairs) => {
        const snapshot = snapshotFromPairs(pairs, 'traefik', 'etcd');
        for (const issue of snapshot.issues) assertClearMessage(issue.message, pairs);
        const checked = validateDynamic(snapshot.config, { provider: 'etcd', fromStrings: true });
        for (const issue of checked.issues) assertClearMessage(issue.message, pairs);
      }),
      { numRuns: RUNS },
    );
  });
});
