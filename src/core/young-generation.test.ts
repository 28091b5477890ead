import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { setsSemiSpaceOptions } from './young-generation.js';

const run = promisify(execFile);

/**
 * In a fresh node process (this one's heap has grown already): the young generation's capacity after
 * keeping 24 MiB of objects while held, then 24 MiB more after the release.
 */
async function youngGenerationSizes(nodeArgs: string[] = []) {
  const moduleUrl = new URL('./young-generation.js', import.meta.url).href;
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    const { holdYoungGeneration, releaseYoungGeneration } = await import(${JSON.stringify(moduleUrl)});
    // The semi-space's capacity; space_size also counts the second semi-space once it is committed.
    const young = () => {
      const s = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      return s.space_used_size + s.space_available_size;
    };
    const kept = [];
    const keep = (mib) => { for (let i = 0; i < mib * 1024; i++) kept.push(new Array(120).fill(i)); };
    const initial = young();
    const held = holdYoungGeneration();
    keep(24);
    const whileHeld = young();
    releaseYoungGeneration();
    keep(24);
    process.stdout.write(JSON.stringify({ held, initial, whileHeld, released: young(), kept: kept.length }));
  `;
  const { stdout } = await run(process.execPath, [...nodeArgs, '--input-type=module', '-e', script], {
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return JSON.parse(stdout) as { held: boolean; initial: number; whileHeld: number; released: number };
}

describe('young generation during start-up', () => {
  it('stays at its initial size while held, and grows again once released', async () => {
    const sizes = await youngGenerationSizes();
    assert.equal(sizes.held, true);
    assert.equal(sizes.whileHeld, sizes.initial, 'kept objects must not grow the young generation');
    assert.ok(sizes.released > sizes.initial, `grows after the release: ${JSON.stringify(sizes)}`);
  });

  it("is left alone in a process started with semi-space options of its operator's", async () => {
    const sizes = await youngGenerationSizes(['--max-semi-space-size=8']);
    assert.equal(sizes.held, false);
    assert.ok(sizes.whileHeld > sizes.initial, `V8 grows it as usual: ${JSON.stringify(sizes)}`);
  });

  it('recognises semi-space options in node arguments and NODE_OPTIONS', () => {
    assert.equal(setsSemiSpaceOptions(['--max-semi-space-size=16'], undefined), true);
    assert.equal(setsSemiSpaceOptions([], '--inspect --semi_space_growth_factor=4'), true);
    assert.equal(setsSemiSpaceOptions(['--min-semi-space-size', '2'], ''), true);
    assert.equal(
      setsSemiSpaceOptions(['--max-old-space-size=512', '--enable-source-maps'], '--trace-gc'),
      false,
    );
    assert.equal(setsSemiSpaceOptions([], undefined), false);
  });
});
