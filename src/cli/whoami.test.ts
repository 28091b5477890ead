import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Logger } from '../core/logger.js';
import { runWhoamiCommand, startWhoami, type WhoamiServer } from './whoami.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  reused: boolean;
}

function request(
  port: number,
  path: string,
  opts: { method?: string; headers?: http.OutgoingHttpHeaders; body?: string; agent?: http.Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: opts.headers,
        agent: opts.agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            reused: req.reusedSocket,
          }),
        );
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('whoami', () => {
  let who: WhoamiServer;
  before(async () => {
    who = await startWhoami({ name: 'alpha' });
  });
  after(async () => {
    await who.close();
  });

  it('listens on 127.0.0.1 by default', () => {
    const address = who.server.address();
    assert.ok(address && typeof address === 'object');
    assert.equal(address.address, '127.0.0.1');
    assert.ok(who.port > 0);
  });

  it('echoes who answered and the request as received', async () => {
    const reply = await request(who.port, '/some/path?q=1&b=two', {
      headers: { 'X-Custom-Header': 'Value One', 'x-lower': 'v2', Host: 'example.test:8080' },
    });
    assert.equal(reply.status, 200);
    const lines = reply.body.toString().split('\n');
    assert.equal(lines[0], 'Name: alpha');
    assert.match(lines[1]!, /^Hostname: .+/);
    assert.ok(lines.includes('IP: 127.0.0.1'));
    assert.ok(lines.some((l) => /^RemoteAddr: 127\.0\.0\.1:\d+$/.test(l)));
    const requestLine = lines.indexOf('GET /some/path?q=1&b=two HTTP/1.1');
    assert.ok(requestLine > 0);
    assert.equal(lines[requestLine + 1], 'Host: example.test:8080');
    assert.ok(lines.includes('X-Custom-Header: Value One'));
    assert.ok(lines.includes('x-lower: v2'));
    assert.equal(lines.filter((l) => l.toLowerCase().startsWith('host:')).length, 1);
  });

  it('echoes a POST or PUT body after the headers', async () => {
    for (const method of ['POST', 'PUT']) {
      const reply = await request(who.port, '/', {
        method,
        body: 'hello body',
        headers: { 'Content-Length': 10 },
      });
      assert.equal(reply.status, 200);
      const text = reply.body.toString();
      assert.ok(text.startsWith('Name: alpha\n'));
      assert.ok(text.endsWith('\n\nhello body'), text);
    }
  });

  it('answers /api as JSON', async () => {
    const reply = await request(who.port, '/api?x=1', {
      method: 'PATCH',
      headers: { Host: 'api.test', 'X-Forwarded-For': '10.0.0.1' },
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'application/json');
    const data = JSON.parse(reply.body.toString());
    assert.equal(data.name, 'alpha');
    assert.equal(data.url, '/api?x=1');
    assert.equal(data.host, 'api.test');
    assert.equal(data.method, 'PATCH');
    assert.ok(Array.isArray(data.ip) && data.ip.includes('127.0.0.1'));
    assert.equal(typeof data.hostname, 'string');
    assert.deepEqual(data.headers['X-Forwarded-For'], ['10.0.0.1']);
    assert.match(data.remoteAddr, /^127\.0\.0\.1:\d+$/);
  });

  it('answers /bench with 1', async () => {
    const reply = await request(who.port, '/bench');
    assert.equal(reply.status, 200);
    assert.equal(reply.body.toString(), '1');
  });

  it('answers /data with the requested number of bytes', async () => {
    const bytes = await request(who.port, '/data?size=10');
    assert.equal(bytes.body.length, 10);
    assert.equal(bytes.body.toString(), 'abcdefghij');
    const kb = await request(who.port, '/data?size=2&unit=KB');
    assert.equal(kb.headers['content-length'], '2048');
    assert.equal(kb.body.length, 2048);
    const mb = await request(who.port, '/data?size=3&unit=mb');
    assert.equal(mb.body.length, 3 * 1024 * 1024);
    assert.equal((await request(who.port, '/data?size=1&unit=PB')).status, 400);
    assert.equal((await request(who.port, '/data?size=-1')).status, 400);
  });

  it('answers the status asked with ?status', async () => {
    assert.equal((await request(who.port, '/?status=418')).status, 418);
    assert.equal((await request(who.port, '/api?status=503')).status, 503);
    const empty = await request(who.port, '/?status=204');
    assert.equal(empty.status, 204);
    assert.equal(empty.body.length, 0);
    assert.equal((await request(who.port, '/?status=abc')).status, 400);
    assert.equal((await request(who.port, '/?status=99')).status, 400);
  });

  it('answers after ?wait and rejects a bad duration', async () => {
    const waited = await request(who.port, '/bench?wait=30ms');
    assert.equal(waited.status, 200);
    assert.equal(waited.body.toString(), '1');
    assert.equal((await request(who.port, '/?wait=soon')).status, 400);
  });

  it('reports and changes its health status', async () => {
    const own = await startWhoami();
    try {
      assert.equal((await request(own.port, '/health')).status, 200);
      const set = await request(own.port, '/health', { method: 'POST', body: '503' });
      assert.equal(set.status, 200);
      assert.equal((await request(own.port, '/health')).status, 503);
      assert.equal((await request(own.port, '/health', { method: 'HEAD' })).status, 503);
      assert.equal((await request(own.port, '/health', { method: 'POST', body: 'sick' })).status, 400);
      assert.equal((await request(own.port, '/health')).status, 503);
      await request(own.port, '/health', { method: 'POST', body: '200' });
      assert.equal((await request(own.port, '/health')).status, 200);
    } finally {
      await own.close();
    }
  });

  it('keeps connections alive across requests', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let connections = 0;
    const count = (): void => {
      connections++;
    };
    who.server.on('connection', count);
    try {
      const replies: Reply[] = [];
      for (let i = 0; i < 20; i++) replies.push(await request(who.port, '/bench', { agent }));
      assert.ok(replies.every((r) => r.status === 200));
      assert.ok(replies.slice(1).every((r) => r.reused));
      assert.equal(connections, 1);
    } finally {
      who.server.off('connection', count);
      agent.destroy();
    }
  });

  it('serves many concurrent connections', async () => {
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        request(who.port, `/api?i=${i}`, { headers: { Connection: 'close' } }),
      ),
    );
    assert.ok(replies.every((r) => r.status === 200));
    const urls = new Set(replies.map((r) => JSON.parse(r.body.toString()).url));
    assert.equal(urls.size, 100);
  });

  it('closes while a request is still waiting', async () => {
    const own = await startWhoami();
    const arrived = once(own.server, 'request');
    const pending = request(own.port, '/?wait=1m').then(
      () => 'answered',
      () => 'dropped',
    );
    await arrived;
    await own.close();
    assert.equal(await pending, 'dropped');
  });

  it('runs as a command on the port given', async () => {
    const probe = await startWhoami();
    const port = probe.port;
    await probe.close();
    const running = await runWhoamiCommand(
      ['--port', String(port), '--name=cmd'],
      Logger.create({ level: 'ERROR' }),
    );
    assert.notEqual(typeof running, 'number');
    if (typeof running === 'number') return;
    try {
      assert.equal(running.port, port);
      const data = JSON.parse((await request(port, '/api')).body.toString());
      assert.equal(data.name, 'cmd');
    } finally {
      await running.close();
    }
  });
});
