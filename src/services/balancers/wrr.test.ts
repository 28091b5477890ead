import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WrrBalancer } from './wrr.js';

interface S {
  name: string;
  weight: number;
  up?: boolean;
}

const servers = (spec: Record<string, number>): S[] =>
  Object.entries(spec).map(([name, weight]) => ({ name, weight, up: true }));

function picks(wrr: WrrBalancer<S>, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(wrr.pick()?.name ?? '-');
  return out;
}

function counts(seq: string[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const s of seq) c[s] = (c[s] ?? 0) + 1;
  return c;
}

function longestRun(seq: string[], name: string): number {
  let best = 0;
  let run = 0;
  for (const s of seq) {
    run = s === name ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

describe('WrrBalancer', () => {
  it('follows the weights exactly over whole cycles', () => {
    const specs: Record<string, number>[] = [
      { a: 1 },
      { a: 1, b: 1 },
      { a: 5, b: 1, c: 1 },
      { a: 3, b: 2 },
      { a: 7, b: 3, c: 11, d: 1 },
    ];
    for (const spec of specs) {
      const total = Object.values(spec).reduce((x, y) => x + y, 0);
      const seq = picks(new WrrBalancer(servers(spec)), total * 100);
      const expected = Object.fromEntries(Object.entries(spec).map(([k, w]) => [k, w * 100]));
      assert.deepEqual(counts(seq), expected, JSON.stringify(spec));
    }
  });

  it('interleaves picks instead of bunching them', () => {
    assert.deepEqual(picks(new WrrBalancer(servers({ a: 5, b: 1, c: 1 })), 7), [
      'a',
      'a',
      'b',
      'a',
      'c',
      'a',
      'a',
    ]);
    const even = picks(new WrrBalancer(servers({ a: 1, b: 1, c: 1 })), 30);
    for (const name of ['a', 'b', 'c']) assert.equal(longestRun(even, name), 1);
    const spec = { a: 10, b: 3, c: 2 };
    const seq = picks(new WrrBalancer(servers(spec)), 15 * 50);
    // A server with weight w out of W never runs longer than about w / (W - w) + 1 in a row.
    assert.ok(longestRun(seq, 'a') <= Math.ceil(10 / 5) + 1, `run of ${longestRun(seq, 'a')}`);
    assert.equal(longestRun(seq, 'b'), 1);
  });

  it('never picks weight-0 servers', () => {
    const wrr = new WrrBalancer(servers({ a: 0, b: 2, c: 0 }));
    assert.equal(wrr.size, 1);
    assert.deepEqual(counts(picks(wrr, 10)), { b: 10 });
  });

  it('returns undefined when nothing can be picked', () => {
    assert.equal(new WrrBalancer<S>([]).pick(), undefined);
    assert.equal(new WrrBalancer(servers({ a: 0 })).pick(), undefined);
    const down = servers({ a: 1, b: 1 }).map((s) => ({ ...s, up: false }));
    assert.equal(new WrrBalancer(down, (s) => s.up !== false).pick(), undefined);
    assert.equal(
      new WrrBalancer([{ name: 'x', weight: 1, up: false }], (s) => s.up !== false).pick(),
      undefined,
    );
  });

  it('gives the turns of down servers to the others and takes them back when up', () => {
    const list = servers({ a: 1, b: 1, c: 2 });
    const wrr = new WrrBalancer(list, (s) => s.up !== false);
    list[2]!.up = false;
    assert.deepEqual(counts(picks(wrr, 20)), { a: 10, b: 10 });
    list[2]!.up = true;
    const after = counts(picks(wrr, 400));
    assert.ok(Math.abs(after.c! - 200) <= 2 && Math.abs(after.a! - 100) <= 2, JSON.stringify(after));
  });
});
