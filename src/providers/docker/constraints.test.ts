import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileConstraints } from './constraints.js';

const labels = { 'traefik.zone': 'public', env: 'prod-eu', empty: '' };

describe('constraints', () => {
  it('evaluates Label and LabelRegex with &&, ||, ! and parentheses', () => {
    const cases: [string, boolean][] = [
      ['', true],
      ['Label(`traefik.zone`, `public`)', true],
      ['Label("traefik.zone", "private")', false],
      ['Label(`missing`, ``)', true],
      ['LabelRegex(`env`, `^prod-`)', true],
      ['LabelRegex(`env`, `eu`)', true],
      ['LabelRegex(`missing`, `.+`)', false],
      ['!Label(`env`, `prod-eu`)', false],
      ['Label(`env`, `x`) || Label(`traefik.zone`, `public`)', true],
      ['Label(`env`, `prod-eu`) && !(Label(`traefik.zone`, `public`) || Label(`a`, `b`))', false],
      ['!!Label(`empty`, ``) && LabelRegex(`env`, `(?i)PROD`)', true],
    ];
    for (const [expr, expected] of cases) assert.equal(compileConstraints(expr)(labels), expected, expr);
  });

  it('reports syntax errors with their column', () => {
    assert.throws(() => compileConstraints('Label(`a`)'), /expected ","/);
    assert.throws(() => compileConstraints('Tag(`a`)'), /unknown function "Tag".*column 1/);
    assert.throws(() => compileConstraints('Label(`a`, `b`) &&'), /unexpected end/);
    assert.throws(
      () => compileConstraints('Label(`a`, `b`) Label(`c`, `d`)'),
      /unexpected "Label".*column 17/,
    );
    assert.throws(() => compileConstraints('LabelRegex(`a`, `(`)'), /invalid regular expression/);
    assert.throws(() => compileConstraints('Label(`a, `b`)'), /unterminated|expected/);
  });
});
