import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UDP_SERVICE_DECLARATIONS } from '../../config/dynamic/service-kinds.js';
import { builtinUdpServices, UDP_SERVICE_DEFINITIONS } from './kinds.js';

describe('UDP service kinds', () => {
  it('define exactly what they declare (key, schema, references)', () => {
    assert.deepEqual(
      UDP_SERVICE_DEFINITIONS.map((d) => [d.type, d.schema, d.refs]),
      UDP_SERVICE_DECLARATIONS.map((d) => [d.type, d.schema, d.refs]),
    );
  });

  it('build a picker from the registry, warning about unusable server addresses', () => {
    const warnings: string[] = [];
    const pick = builtinUdpServices()
      .get('LOADBALANCER')!
      .create({ servers: [{ address: '127.0.0.1:53' }, { address: 'nohost' }] } as never, {
        name: 'dns@file',
        service: () => () => undefined,
        warn: (m) => warnings.push(m),
      });
    assert.deepEqual([pick(), pick()], ['127.0.0.1:53', '127.0.0.1:53']);
    assert.deepEqual(warnings, ['server "nohost": missing port in address; it is left out']);
  });
});
