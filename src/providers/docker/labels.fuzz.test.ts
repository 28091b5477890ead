import { describe, it } from 'node:test';
import fc from 'fast-check';
import { assertClearMessage, RUNS, tokenText } from '../../../test/helpers/fuzz.js';
import { validateDynamic } from '../../config/dynamic/validate.js';
import { build, container } from './test-containers.js';

/** Label key pieces: sections, kinds, options, list indexes and separators. */
const KEY_TOKENS = [
  'traefik.',
  'traefik.http.',
  'traefik.tcp.',
  'traefik.udp.',
  'routers.',
  'services.',
  'middlewares.',
  'r.',
  's.',
  'rule',
  'service',
  'entrypoints',
  'tls',
  'tls.domains[0].main',
  'loadbalancer.server.port',
  'loadbalancer.server.scheme',
  'loadbalancer.servers[1].url',
  'stripprefix.prefixes',
  'ratelimit.average',
  '.',
  '..',
  '[',
  ']',
  '[99999999]',
  'traefik.enable',
  'traefik.frontend.rule',
  'traefik.port',
];

const VALUE_TOKENS = [
  'Host(`a`)',
  'true',
  'false',
  '80',
  '-1',
  'web,websecure',
  'http',
  '/api',
  '{{ .Name }}',
  ',',
];

describe('Docker label decoder: no set of labels crashes it', () => {
  it('any labels on containers build a configuration or report per container', () => {
    const labels = fc.dictionary(tokenText(KEY_TOKENS, 6), tokenText(VALUE_TOKENS, 3), { maxKeys: 8 });
    fc.assert(
      fc.property(fc.array(labels, { minLength: 1, maxLength: 3 }), (sets) => {
        const { config, issues } = build(sets.map((l, i) => container(`c${i}`, l)));
        for (const issue of issues) assertClearMessage(issue.message, sets);
        const checked = validateDynamic(config, { provider: 'docker', fromStrings: true });
        for (const issue of checked.issues) assertClearMessage(issue.message, sets);
      }),
      { numRuns: RUNS },
    );
  });
});
