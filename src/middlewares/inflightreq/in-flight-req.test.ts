import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import { type HttpContext, sendText } from '../../core/http-context.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import inFlightReq from './index.js';

describe('inFlightReq', () => {
  it('answers 429 beyond amount per source and frees the slot when a request ends', async () => {
    const held: HttpContext[] = [];
    let arrived: () => void = () => {};
    const next = (ctx: HttpContext) => {
      if (ctx.req.url === '/hold') {
        held.push(ctx);
        arrived();
      } else sendText(ctx, 200, 'ok');
    };
    const mw = inFlightReq.create(
      { amount: 1, sourceCriterion: { requestHeaderName: 'X-Who' } },
      testBuildContext(),
    );
    const s = await serveMiddleware(mw, { next });
    try {
      const gotThere = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      const first = s.request('/hold', { headers: { 'X-Who': 'a' } });
      await gotThere;
      assert.equal((await s.request('/', { headers: { 'X-Who': 'a' } })).status, 429);
      assert.equal((await s.request('/', { headers: { 'X-Who': 'b' } })).status, 200);
      sendText(held[0]!, 200, 'released');
      assert.equal((await first).body, 'released');
      assert.equal((await s.request('/', { headers: { 'X-Who': 'a' } })).status, 200);
    } finally {
      await s.close();
    }
  });

  it('refuses amount 0 and two source criteria', () => {
    assert.throws(() => inFlightReq.create({ amount: 0 }, testBuildContext()), SwitchyardError);
    assert.throws(
      () =>
        inFlightReq.create(
          { amount: 1, sourceCriterion: { requestHost: true, requestHeaderName: 'x' } },
          testBuildContext(),
        ),
      SwitchyardError,
    );
  });
});
