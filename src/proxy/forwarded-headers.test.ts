import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { SwitchyardError } from '../core/errors.js';
import type { HttpContext } from '../core/http-context.js';
import { compileForwardedTrust, isTrustedSource, sanitizeForwardedHeaders } from './forwarded-headers.js';

function ctxOf(req: IncomingMessage, clientIp: string): HttpContext {
  return { req, clientIp, forwardedFor: 'append' } as unknown as HttpContext;
}

function request(): IncomingMessage {
  return {
    headers: {
      'x-forwarded-for': '1.2.3.4',
      'x-forwarded-proto': 'https',
      x_forwarded_host: 'evil',
      'x-real-ip': '1.2.3.4',
      'x-forwarded-tls-client-cert': 'pem',
      'x-scheme': 'https',
      'x-request-id': 'keep',
      accept: '*/*',
    },
  } as unknown as IncomingMessage;
}

describe('forwarded headers', () => {
  it('deletes managed X-headers (and underscore spellings) from untrusted peers', () => {
    const req = request();
    sanitizeForwardedHeaders(ctxOf(req, '192.0.2.1'), compileForwardedTrust({ trustedIPs: ['10.0.0.0/8'] }));
    assert.deepEqual(req.headers, { 'x-request-id': 'keep', accept: '*/*' });
  });

  it('keeps them for trusted peers and in insecure mode', () => {
    const trust = compileForwardedTrust({ trustedIPs: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.9'] });
    for (const ip of [
      '10.1.2.3',
      '2001:db8::1',
      '192.0.2.9',
      'fe80::1%eth0'.replace('fe80::1', '2001:db8::2'),
    ]) {
      const req = request();
      sanitizeForwardedHeaders(ctxOf(req, ip), trust);
      assert.equal(req.headers['x-forwarded-for'], '1.2.3.4', ip);
    }
    const req = request();
    sanitizeForwardedHeaders(ctxOf(req, '203.0.113.5'), compileForwardedTrust({ insecure: true }));
    assert.equal(req.headers['x-forwarded-proto'], 'https');
  });

  it('matches addresses by family and prefix', () => {
    const trust = compileForwardedTrust({ trustedIPs: ['127.0.0.1', '::1', '172.16.0.0/12'] });
    assert.equal(isTrustedSource('127.0.0.1', trust), true);
    assert.equal(isTrustedSource('::1', trust), true);
    assert.equal(isTrustedSource('172.31.255.255', trust), true);
    assert.equal(isTrustedSource('172.32.0.0', trust), false);
    assert.equal(isTrustedSource('not-an-ip', trust), false);
    assert.equal(isTrustedSource('127.0.0.1', compileForwardedTrust({})), false);
  });

  it('marks requests that must not extend X-Forwarded-For', () => {
    const ctx = ctxOf(request(), '10.0.0.1');
    sanitizeForwardedHeaders(ctx, compileForwardedTrust({ insecure: true, notAppendXForwardedFor: true }));
    assert.equal(ctx.forwardedFor, 'as-is');
  });

  it('rejects entries that are not addresses or CIDRs, naming them', () => {
    for (const bad of ['10.0.0.0/33', 'example.com', '::1/129', '1.2.3.4/x']) {
      assert.throws(
        () => compileForwardedTrust({ trustedIPs: [bad] }),
        (err: unknown) =>
          err instanceof SwitchyardError && err.code === 'CONFIG_INVALID' && err.message.includes(bad),
      );
    }
  });
});
