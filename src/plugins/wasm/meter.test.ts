import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { watToWasm } from '../../../test/helpers/wat.js';
import { formatIssues } from '../../config/schema/issues.js';
import { normalize } from '../../config/schema/normalize.js';
import { fromJsonSchema } from './json-schema.js';
import { FUEL_EXPORT, meter } from './meter.js';

// A guest with loops, nested blocks, br_table, recursion, an imported global and memory/bulk operations:
// metering must keep every result and only add the step budget.
const GUEST = `(module
  (import "env" "base" (global $base i32))
  (memory (export "memory") 1)
  (global $g (mut i64) (i64.const 5))
  (data (i32.const 0) "abc")
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $out
      (loop $next
        (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
        (block $b2 (block $b1 (block $b0
          (br_table $b0 $b1 $b2 (i32.rem_u (local.get $i) (i32.const 3))))
          (local.set $s (i32.add (local.get $s) (i32.const 1))) (br $b2))
          (local.set $s (i32.add (local.get $s) (i32.const 10))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.add (local.get $s) (global.get $base)))
  (func (export "mem") (result i32)
    (memory.copy (i32.const 100) (i32.const 0) (i32.const 3))
    (memory.fill (i32.const 103) (i32.const 120) (i32.const 2))
    (i32.add (i32.load8_u (i32.const 102)) (i32.add (i32.load8_u (i32.const 104)) (i32.wrap_i64 (global.get $g)))))
  (func (export "forever") (loop $l (br $l))))`;

async function instances(budget: number) {
  const wasm = await watToWasm(GUEST);
  const imports = { env: { base: 1000 } };
  const plain = new WebAssembly.Instance(new WebAssembly.Module(wasm), imports).exports;
  const metered = new WebAssembly.Instance(new WebAssembly.Module(meter(wasm, budget)), imports).exports;
  return { plain, metered, steps: metered[FUEL_EXPORT] as WebAssembly.Global };
}

type Fn = (...a: number[]) => number;

describe('step metering of wasm guests', () => {
  it('keeps what every function computes', async () => {
    const { plain, metered } = await instances(1_000_000);
    for (const [name, args] of [
      ['fib', [15]],
      ['sum', [100]],
      ['mem', []],
    ] as const) {
      assert.equal((metered[name] as Fn)(...args), (plain[name] as Fn)(...args), name);
    }
    assert.equal((metered.sum as Fn)(100), 1000 + 34 * 1 + 33 * 10 + 33 * 0);
  });

  it('counts loop iterations and calls, and traps a runaway when the budget is spent', async () => {
    const { metered, steps } = await instances(1_000_000);
    steps.value = 1000;
    (metered.sum as Fn)(10);
    assert.equal(steps.value, 1000 - 1 - 11); // one call, eleven loop entries
    steps.value = 50_000;
    assert.throws(() => (metered.forever as Fn)(), WebAssembly.RuntimeError);
    assert.equal(steps.value, 0);
    steps.value = 100;
    assert.throws(() => (metered.fib as Fn)(30), WebAssembly.RuntimeError); // recursion counts too
  });

  it('refuses bytes that are not a module', () => {
    assert.throws(() => meter(new TextEncoder().encode('not wasm'), 1), /not a WebAssembly module/);
  });
});

describe('options schema of a wasm plugin manifest', () => {
  const schema = fromJsonSchema({
    type: 'object',
    properties: {
      headers: { type: 'object', additionalProperties: { type: 'string' } },
      mode: { enum: ['allow', 'deny'], default: 'allow' },
      limit: { type: 'integer', minimum: 1 },
      tags: { type: 'array', items: { type: 'string' } },
    },
    required: ['limit'],
  });

  it('normalizes options like a built-in: keys in any case, defaults, numbers from strings', () => {
    const { value, issues } = normalize(schema, { Headers: { 'X-A': 'b' }, limit: '3', tags: ['t'] });
    assert.deepEqual(issues, []);
    assert.deepEqual(value, { headers: { 'X-A': 'b' }, mode: 'allow', limit: 3, tags: ['t'] });
  });

  it('reports misspelt and missing keys and values out of the enum', () => {
    const { issues } = normalize(schema, { limt: 3, mode: 'maybe' });
    const text = formatIssues(issues);
    assert.match(text, /unknown key "limt" \(did you mean "limit"\?\)/);
    assert.match(text, /missing required key "limit"/);
    assert.match(text, /mode/);
  });

  it('names what it cannot translate', () => {
    assert.throws(
      () => fromJsonSchema({ type: 'object', properties: { a: { type: 'null' } } }),
      /optionsSchema\.properties\.a\.type must be one of/,
    );
  });
});
