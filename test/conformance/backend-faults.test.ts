import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { type Running, startWithDynamic } from '../helpers/cli.js';
import { BACKEND_FAULTS } from './backend-fault-vectors.js';
import { type RawBackend, startFaultBackend } from './raw-backend.js';

/** What a client saw: the status (0 when the connection closed without one), the body, a cut body. */
interface Seen {
  status: number;
  body: string;
  truncated: boolean;
}

/** One GET on a fresh connection; bounded by a 20 s guard (a test guard, never a timing assertion). */
function get(url: string): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      req.destroy();
      reject(new Error(`no complete answer within 20 s for ${url}`));
    }, 20_000);
    const done = (seen: Seen) => {
      clearTimeout(guard);
      resolve(seen);
    };
    // Node's client refuses heads over 16 KiB by default; the proxy's limit is 32 KiB.
    const req = http.get(url, { agent: false, maxHeaderSize: 64 * 1024 }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('error', () => {});
      res.on('close', () => done({ status: res.statusCode ?? 0, body, truncated: !res.complete }));
    });
    req.on('error', () => done({ status: 0, body: '', truncated: false }));
  });
}

describe('backend faults: what the client gets from a misbehaving server (issue 18)', () => {
  let backend: RawBackend;
  let sy: Running;

  before(async () => {
    backend = await startFaultBackend(BACKEND_FAULTS);
    const url = `http://127.0.0.1:${backend.port}`;
    sy = await startWithDynamic(
      `
http:
  routers:
    timed:
      rule: "PathPrefix(\`/t/\`)"
      service: timed
    plain:
      rule: "PathPrefix(\`/\`)"
      priority: 1
      service: plain
  services:
    plain:
      loadBalancer:
        servers: [{ url: "${url}" }]
    timed:
      loadBalancer:
        serversTransport: deadline
        servers: [{ url: "${url}" }]
  serversTransports:
    deadline:
      forwardingTimeouts:
        responseHeaderTimeout: 1s
`,
    );
  });

  after(async () => {
    await sy?.stop();
    await backend?.close();
  });

  BACKEND_FAULTS.forEach((v, i) => {
    it(`${v.name}: ${v.expect === 'truncated' ? 'a truncated response' : v.expect}, then a normal request works`, async () => {
      const prefix = v.timed ? '/t' : '/v';
      const seen = await get(sy.url('web', `${prefix}/${i}`));
      if (v.expect === 'truncated') {
        assert.equal(seen.status, 200, 'the response had started');
        assert.equal(seen.truncated, true, 'the client must see the response cut, not a clean end');
      } else {
        assert.equal(seen.status, v.expect);
        assert.equal(seen.truncated, false);
        if (v.body !== undefined) assert.equal(seen.body, v.body);
        if (v.expect === 502) assert.equal(seen.body, 'Bad Gateway');
        if (v.expect === 504) assert.equal(seen.body, 'Gateway Timeout');
      }
      const next = await get(sy.url('web', `${prefix}/ok`));
      assert.deepEqual(next, { status: 200, body: 'ok', truncated: false });
      assert.deepEqual(backend.reused, [], 'a connection that carried a fault was used again');
    });
  });
});
