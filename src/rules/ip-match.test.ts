import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileIpMatcher } from './ip-match.js';

class Invalid extends Error {}

function matcher(...specs: string[]): (address: string) => boolean {
  return compileIpMatcher(specs, (_index, message) => {
    throw new Invalid(message);
  });
}

describe('compileIpMatcher', () => {
  it('parses the IPv6 text forms', () => {
    const m = matcher('2001:db8::8a2e:370:7334');
    assert.ok(m('2001:0db8:0000:0000:0000:8a2e:0370:7334'));
    assert.ok(m('2001:DB8:0:0:0:8A2E:370:7334'));
    assert.ok(!m('2001:db8::8a2e:370:7335'));
    assert.ok(matcher('::')('0:0:0:0:0:0:0:0'));
    assert.ok(matcher('1::')('1:0:0:0:0:0:0:0'));
    assert.ok(matcher('::1.2.3.4')('::102:304'));
    assert.ok(matcher('64:ff9b::/96')('64:ff9b::1.2.3.4'));
  });

  it('masks CIDR ranges at any bit boundary', () => {
    const m = matcher('10.0.0.0/9', '2001:db8:8000::/33');
    assert.ok(m('10.127.255.255'));
    assert.ok(!m('10.128.0.0'));
    assert.ok(m('2001:db8:ffff::1'));
    assert.ok(!m('2001:db8:7fff::1'));
    assert.ok(matcher('1.2.3.4/24')('1.2.3.200'), 'host bits are ignored, as Go masks the prefix');
    assert.ok(matcher('0.0.0.0/0')('255.255.255.255'));
    assert.ok(matcher('::/0')('ffff::1'));
  });

  it('keeps IPv4 and IPv6 apart, except IPv4-mapped addresses', () => {
    assert.ok(!matcher('::/0')('1.2.3.4'));
    assert.ok(!matcher('0.0.0.0/0')('::1'));
    assert.ok(matcher('::ffff:1.2.3.4')('1.2.3.4'));
    assert.ok(matcher('1.2.3.0/24')('::ffff:1.2.3.9'));
  });

  it('rejects malformed specifications', () => {
    for (const bad of [
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '01.2.3.4',
      '1.2.3.4/',
      '1.2.3.4/33',
      '1.2.3.4/08',
      '::1/129',
      '1::2::3',
      ':::',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      '12345::',
      'fe80::1%eth0/64',
      'example.com',
    ]) {
      assert.throws(() => matcher(bad), Invalid, bad);
    }
  });

  it('never matches a malformed request address', () => {
    const m = matcher('0.0.0.0/0', '::/0');
    for (const bad of ['', '1.2.3', 'a::b::c', 'localhost']) assert.ok(!m(bad), bad);
  });
});
