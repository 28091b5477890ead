import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProxyHeaderParser, parseProxyHeader, V1_MAX_LENGTH } from './parser.js';
import { encodeProxyHeader } from './writer.js';

const SIG = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

function v2(verCmd: number, fam: number, body: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(body.length);
  return Buffer.concat([SIG, Buffer.from([verCmd, fam]), len, body]);
}

function feedByteByByte(bytes: Buffer) {
  const p = new ProxyHeaderParser();
  const states: string[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const r = p.push(bytes.subarray(i, i + 1));
    states.push(r.state);
    if (r.state !== 'more') return { result: r, states };
  }
  return { result: undefined, states };
}

describe('PROXY header parser', () => {
  it('reads a v1 TCP4 header and says where the payload starts', () => {
    const buf = Buffer.from('PROXY TCP4 192.0.2.1 198.51.100.7 56324 443\r\nGET / HTTP/1.1\r\n');
    const r = parseProxyHeader(buf);
    assert.equal(r.state, 'header');
    if (r.state !== 'header') return;
    assert.deepEqual(r.header.source, { address: '192.0.2.1', port: 56324 });
    assert.deepEqual(r.header.destination, { address: '198.51.100.7', port: 443 });
    assert.equal(buf.subarray(r.consumed).toString(), 'GET / HTTP/1.1\r\n');
  });

  it('reads v1 TCP6 and UNKNOWN (which carries no address)', () => {
    const six = parseProxyHeader(Buffer.from('PROXY TCP6 2001:db8::1 2001:db8::2 1 2\r\n'));
    assert.equal(six.state === 'header' && six.header.source?.address, '2001:db8::1');
    const unknown = parseProxyHeader(Buffer.from('PROXY UNKNOWN ffff::1 ffff::2 1 2\r\nx'));
    assert.equal(unknown.state, 'header');
    if (unknown.state === 'header') {
      assert.equal(unknown.header.family, 'unknown');
      assert.equal(unknown.header.source, undefined);
    }
  });

  it('decides on a header split into one-byte segments only once the last byte is there', () => {
    for (const version of [1, 2] as const) {
      const header = encodeProxyHeader(
        version,
        { address: '2001:db8::5', port: 4000 },
        { address: '192.0.2.9', port: 80 },
      );
      const { result, states } = feedByteByByte(Buffer.concat([header, Buffer.from('payload')]));
      assert.equal(result?.state, 'header', `v${version}`);
      assert.equal(states.length, header.length, `v${version} decided at the header's last byte`);
      if (result?.state === 'header') {
        assert.deepEqual(result.header.source, { address: '2001:db8::5', port: 4000 });
        assert.deepEqual(result.header.destination, { address: '::ffff:192.0.2.9', port: 80 });
      }
    }
  });

  it('lets other protocols through at their first differing byte', () => {
    assert.equal(parseProxyHeader(Buffer.from('G')).state, 'none');
    assert.equal(parseProxyHeader(Buffer.from([0x16, 0x03, 0x01])).state, 'none');
    // The HTTP/2 preface starts with P too, and differs at its third byte.
    assert.equal(parseProxyHeader(Buffer.from('PR')).state, 'more');
    assert.equal(parseProxyHeader(Buffer.from('PRI * HTTP/2.0\r\n')).state, 'none');
    assert.equal(parseProxyHeader(Buffer.from('\r\n\r\n')).state, 'more');
    assert.equal(parseProxyHeader(Buffer.from('\r\nGET')).state, 'none');
  });

  it('refuses v1 headers that are too long, lie about the family, or are malformed', () => {
    const cases: [string, RegExp][] = [
      [`PROXY TCP4 ${'1'.repeat(V1_MAX_LENGTH)}`, /longer than 107/],
      ['PROXY TCP4 2001:db8::1 192.0.2.1 1 2\r\n', /invalid address "2001:db8::1"/],
      ['PROXY TCP4 192.0.2.1 192.0.2.2 65536 80\r\n', /invalid port "65536"/],
      ['PROXY TCP4 192.0.2.1 192.0.2.2 080 80\r\n', /invalid port "080"/],
      ['PROXY TCP4 192.0.2.1 192.0.2.2 80\r\n', /needs 4 fields/],
      ['PROXY UDP4 192.0.2.1 192.0.2.2 1 2\r\n', /unknown protocol "UDP4"/],
      ['PROXY TCP4 192.0.2.1 192.0.2.2 1 2\n', /CRLF/],
    ];
    for (const [text, reason] of cases) {
      const r = parseProxyHeader(Buffer.from(text));
      assert.equal(r.state, 'error', text);
      if (r.state === 'error') assert.match(r.reason, reason);
    }
  });

  it('skips v2 TLVs and reads LOCAL and AF_UNSPEC as "no address"', () => {
    const addr = Buffer.from([192, 0, 2, 1, 192, 0, 2, 2, 0x13, 0x88, 0x00, 0x50]);
    const tlvs = Buffer.from([0x01, 0x00, 0x02, 0x68, 0x32, 0x04, 0x00, 0x00]); // ALPN "h2", NOOP
    const withTlvs = parseProxyHeader(
      Buffer.concat([v2(0x21, 0x11, Buffer.concat([addr, tlvs])), Buffer.from('x')]),
    );
    assert.equal(withTlvs.state, 'header');
    if (withTlvs.state === 'header') {
      assert.equal(withTlvs.header.tlvCount, 2);
      assert.deepEqual(withTlvs.header.source, { address: '192.0.2.1', port: 5000 });
      assert.equal(withTlvs.consumed, 16 + 12 + 8);
    }
    const local = parseProxyHeader(v2(0x20, 0x11, addr));
    assert.equal(local.state === 'header' && local.header.command, 'local');
    assert.equal(local.state === 'header' && local.header.source, undefined);
    const unspec = parseProxyHeader(v2(0x21, 0x00, Buffer.alloc(0)));
    assert.equal(unspec.state === 'header' && unspec.header.family, 'unknown');
    const unix = parseProxyHeader(v2(0x21, 0x31, Buffer.alloc(216)));
    assert.equal(unix.state === 'header' && unix.header.source, undefined);
  });

  it('refuses v2 headers that lie about their length, version, command or TLVs', () => {
    const addr = Buffer.from([192, 0, 2, 1, 192, 0, 2, 2, 0, 1, 0, 2]);
    const cases: [Buffer, RegExp][] = [
      [v2(0x21, 0x11, addr.subarray(0, 8)), /length 8 is shorter than its tcp4 addresses \(12\)/],
      [v2(0x21, 0x21, addr), /shorter than its tcp6 addresses/],
      [v2(0x11, 0x11, addr), /version 1/],
      [v2(0x22, 0x11, addr), /unknown command 2/],
      [v2(0x21, 0x41, addr), /unknown address family 0x41/],
      [v2(0x21, 0x11, Buffer.concat([addr, Buffer.from([0x01, 0x00, 0x09, 0x68])])), /TLV that runs past/],
    ];
    for (const [bytes, reason] of cases) {
      const r = parseProxyHeader(bytes);
      assert.equal(r.state, 'error', reason.source);
      if (r.state === 'error') assert.match(r.reason, reason);
    }
  });

  it('waits for the rest of a v2 header whose length says more is coming', () => {
    const header = v2(0x21, 0x11, Buffer.alloc(12));
    assert.equal(parseProxyHeader(header.subarray(0, header.length - 1)).state, 'more');
  });
});

describe('PROXY header writer', () => {
  it('writes v1 and v2 headers the parser reads back', () => {
    const src = { address: '198.51.100.20', port: 61000 };
    const dst = { address: '192.0.2.80', port: 8080 };
    assert.equal(
      encodeProxyHeader(1, src, dst).toString(),
      'PROXY TCP4 198.51.100.20 192.0.2.80 61000 8080\r\n',
    );
    for (const version of [1, 2] as const) {
      const r = parseProxyHeader(encodeProxyHeader(version, src, dst));
      assert.equal(r.state, 'header');
      if (r.state === 'header') {
        assert.equal(r.header.version, version);
        assert.deepEqual([r.header.source, r.header.destination], [src, dst]);
      }
    }
    const six = parseProxyHeader(
      encodeProxyHeader(2, { address: 'fe80::1%eth0', port: 1 }, { address: '::1', port: 2 }),
    );
    assert.equal(six.state === 'header' && six.header.source?.address, 'fe80::1');
  });

  it('writes UNKNOWN / AF_UNSPEC when an address is not an IP', () => {
    assert.equal(encodeProxyHeader(1, undefined, undefined).toString(), 'PROXY UNKNOWN\r\n');
    const r = parseProxyHeader(
      encodeProxyHeader(2, { address: '/run/x.sock', port: 0 }, { address: '::1', port: 2 }),
    );
    assert.equal(r.state === 'header' && r.header.family, 'unknown');
  });
});
