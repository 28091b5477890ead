import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../../core/errors.js';
import { maskIpv6 } from '../ip-strategy.js';
import ipWhiteList from '../ipwhitelist/index.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import ipAllowList from './index.js';
import type { IpAllowListOptions } from './schema.js';

async function status(options: Partial<IpAllowListOptions>, headers: Record<string, string> = {}) {
  const mw = ipAllowList.create({ sourceRange: [], rejectStatusCode: 403, ...options }, testBuildContext());
  const s = await serveMiddleware(mw);
  try {
    const res = await s.request('/', { headers });
    return res.status;
  } finally {
    await s.close();
  }
}

describe('ipAllowList', () => {
  it('lets listed sources through and refuses others with 403', async () => {
    assert.equal(await status({ sourceRange: ['127.0.0.0/8'] }), 200);
    assert.equal(await status({ sourceRange: ['10.0.0.0/8', '::1/128'] }), 403);
  });

  it('uses rejectStatusCode', async () => {
    assert.equal(await status({ sourceRange: ['10.0.0.1'], rejectStatusCode: 404 }), 404);
  });

  it('reads X-Forwarded-For with depth and excludedIPs', async () => {
    const xff = { 'X-Forwarded-For': '10.0.0.9, 192.168.1.1, 172.16.0.1' };
    assert.equal(await status({ sourceRange: ['192.168.1.1'], ipStrategy: { depth: 2 } }, xff), 200);
    assert.equal(await status({ sourceRange: ['192.168.1.1'], ipStrategy: { depth: 9 } }, xff), 403);
    assert.equal(
      await status({ sourceRange: ['192.168.1.1'], ipStrategy: { excludedIPs: ['172.16.0.0/12'] } }, xff),
      200,
    );
  });

  it('matches IPv6 sources and subnets', async () => {
    const xff = { 'X-Forwarded-For': '2001:db8::1234' };
    assert.equal(await status({ sourceRange: ['2001:db8::/32'], ipStrategy: { depth: 1 } }, xff), 200);
    assert.equal(await status({ sourceRange: ['2001:db9::/32'], ipStrategy: { depth: 1 } }, xff), 403);
    assert.equal(maskIpv6('2001:db8:1:2:3:4:5:6', 64), '2001:db8:1:2:0:0:0:0');
  });

  it('refuses bad ranges and an empty list at build time', () => {
    assert.throws(
      () => ipAllowList.create({ sourceRange: ['nope'], rejectStatusCode: 403 }, testBuildContext()),
      SwitchyardError,
    );
    assert.throws(
      () => ipAllowList.create({ sourceRange: [], rejectStatusCode: 403 }, testBuildContext()),
      SwitchyardError,
    );
  });

  it('keeps the deprecated ipWhiteList working', async () => {
    const s = await serveMiddleware(ipWhiteList.create({ sourceRange: ['10.0.0.0/8'] }, testBuildContext()));
    try {
      assert.equal((await s.request('/')).status, 403);
    } finally {
      await s.close();
    }
  });
});
