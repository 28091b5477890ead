import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TCP_SERVICE_DECLARATIONS } from '../../config/dynamic/service-kinds.js';
import { builtinTcpServices, TCP_SERVICE_DEFINITIONS } from './kinds.js';

describe('TCP service kinds', () => {
  it('define exactly what they declare (key, schema, references)', () => {
    assert.deepEqual(
      TCP_SERVICE_DEFINITIONS.map((d) => [d.type, d.schema, d.refs]),
      TCP_SERVICE_DECLARATIONS.map((d) => [d.type, d.schema, d.refs]),
    );
  });

  it('are looked up without regard to case, each with its factory', () => {
    const kinds = builtinTcpServices();
    assert.deepEqual(kinds.keys(), ['loadBalancer', 'weighted', 'originalDestination']);
    assert.equal(kinds.get('LOADBALANCER')?.type, 'loadBalancer');
    assert.equal(typeof kinds.get('originaldestination')?.create, 'function');
  });
});
