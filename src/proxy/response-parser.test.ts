import assert from 'node:assert/strict';
import type { OutgoingHttpHeaders } from 'node:http';
import { describe, it } from 'node:test';
import { ResponseParser } from './response-parser.js';

/** Records what the parser reports. */
class Recorder extends ResponseParser {
  heads: { status: number; headers: OutgoingHttpHeaders; keepAlive: boolean }[] = [];
  informational: number[] = [];
  body: Buffer[] = [];
  completed = 0;
  stopAtHead = false;

  protected onHead(): boolean {
    this.heads.push({ status: this.statusCode, headers: this.headers, keepAlive: this.keepAlive });
    return !this.stopAtHead;
  }
  protected onInformational(): void {
    this.informational.push(this.statusCode);
  }
  protected onBody(chunk: Buffer): void {
    this.body.push(Buffer.from(chunk));
  }
  protected onComplete(): void {
    this.completed++;
  }
  get text(): string {
    return Buffer.concat(this.body).toString('latin1');
  }
}

/** Feeds `raw` in pieces of `step` bytes; returns the parser (asserting no error). */
function feed(raw: string | Buffer, step = Number.POSITIVE_INFINITY, noBody = false): Recorder {
  const p = new Recorder();
  p.reset(noBody);
  const buf = typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw;
  for (let i = 0; i < buf.length; i += step) {
    const n = p.execute(buf.subarray(i, Math.min(buf.length, i + step)));
    assert.notEqual(n, -1, `parse error: ${p.error}`);
  }
  return p;
}

function failure(raw: string): string {
  const p = new Recorder();
  p.reset(false);
  assert.equal(p.execute(Buffer.from(raw, 'latin1')), -1);
  return p.error;
}

const CHUNKED =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n' +
  '5\r\nhello\r\n1;ext=1\r\n \r\nA  \r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n';

describe('ResponseParser', () => {
  it('parses a content-length response and keeps end-to-end headers in lower case', () => {
    const p = feed(
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nX-A: 1\r\nX-A: 2\r\n\r\nhello',
    );
    assert.equal(p.completed, 1);
    assert.equal(p.text, 'hello');
    assert.deepEqual(p.heads[0], {
      status: 200,
      headers: { 'content-type': 'text/plain', 'content-length': '5', 'x-a': ['1', '2'] },
      keepAlive: true,
    });
  });

  it('decodes chunked bodies with extensions and trailers, whatever the packet boundaries', () => {
    for (const step of [1, 2, 3, 7, 16, 1000]) {
      const p = feed(CHUNKED, step);
      assert.equal(p.completed, 1, `step ${step}`);
      assert.equal(p.text, 'hello 0123456789', `step ${step}`);
      assert.equal(p.heads[0]!.headers['transfer-encoding'], undefined);
      assert.equal(p.excess, false);
    }
  });

  it('reads a body without length until the connection closes', () => {
    const p = feed('HTTP/1.1 200 OK\r\n\r\nsome ');
    p.execute(Buffer.from('more'));
    assert.equal(p.completed, 0);
    assert.equal(p.readsToClose, true);
    assert.equal(p.keepAlive, false);
    assert.equal(p.eof(), true);
    assert.equal(p.completed, 1);
    assert.equal(p.text, 'some more');
  });

  it('treats HEAD, 204 and 304 answers as bodiless whatever their headers say', () => {
    const head = feed('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', Number.POSITIVE_INFINITY, true);
    assert.equal(head.completed, 1);
    assert.equal(head.heads[0]!.headers['content-length'], '10');
    for (const status of [204, 304]) {
      const p = feed(`HTTP/1.1 ${status} X\r\nContent-Length: 10\r\n\r\n`);
      assert.equal(p.completed, 1);
      assert.equal(p.text, '');
    }
    const zero = feed('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    assert.equal(zero.completed, 1);
  });

  it('reports 1xx heads and goes on with the final one', () => {
    const p = feed(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok',
      5,
    );
    assert.deepEqual(p.informational, [100, 103]);
    assert.equal(p.heads[0]!.status, 201);
    assert.equal(p.text, 'ok');
  });

  it('stops after a 101 head and leaves the rest of the packet to the caller', () => {
    const p = new Recorder();
    p.reset(false);
    const raw = Buffer.from(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nFRAME',
    );
    const n = p.execute(raw);
    assert.equal(raw.subarray(n).toString(), 'FRAME');
    assert.equal(p.upgradeValue, 'websocket');
    assert.deepEqual(p.heads[0]!.headers, {});
  });

  it('removes hop-by-hop headers and those named in Connection', () => {
    const p = feed(
      'HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Secret\r\nKeep-Alive: timeout=5\r\nX-Secret: s\r\n' +
        'Proxy-Authenticate: Basic\r\nTrailer: X-T\r\nUpgrade: h2c\r\nX-Kept: k\r\nContent-Length: 0\r\n\r\n',
    );
    assert.deepEqual(p.heads[0]!.headers, { 'x-kept': 'k', 'content-length': '0' });
  });

  it('knows when the connection can be reused', () => {
    assert.equal(feed('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n').keepAlive, true);
    assert.equal(feed('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').keepAlive, false);
    assert.equal(feed('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').keepAlive, false);
    assert.equal(
      feed('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n').keepAlive,
      true,
    );
  });

  it('refuses header lines a client could misread (nginx and HAProxy answer 502), keeps obs-text', () => {
    const head = (line: string) => `HTTP/1.1 200 OK\r\n${line}\r\nContent-Length: 0\r\n\r\n`;
    assert.match(failure(head('X-Bad: a\x01b')), /invalid character/);
    assert.match(failure(head('X-Bad: a\rSet-Cookie: b')), /invalid character/);
    assert.match(failure(head('X-Bad: a\x00b')), /invalid character/);
    assert.match(failure(head('Bad Name: x')), /invalid header name/);
    assert.match(failure(head('X-Space : x')), /invalid header name/);
    assert.match(failure(head('no colon here')), /without a colon/);
    assert.match(failure(head(': empty name')), /invalid header name/);
    const p = feed(head('X-Good: \x80ok'));
    assert.deepEqual(p.heads[0]!.headers, { 'x-good': '\x80ok', 'content-length': '0' });
  });

  it('accepts bare-LF heads and folded header lines', () => {
    const p = feed('HTTP/1.1 200 OK\nX-Long: a\n  b\nContent-Length: 2\n\nok');
    assert.equal(p.heads[0]!.headers['x-long'], 'a b');
    assert.equal(p.text, 'ok');
  });

  it('normalises identical repeated Content-Length values', () => {
    const p = feed('HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2, 2\r\n\r\nok');
    assert.equal(p.heads[0]!.headers['content-length'], '2');
    assert.equal(p.text, 'ok');
  });

  it('refuses both Transfer-Encoding and Content-Length, and reads other codings to close', () => {
    assert.match(
      failure(
        'HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
      ),
      /both Transfer-Encoding and Content-Length/,
    );
    const gz = feed('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc');
    assert.equal(gz.readsToClose, true);
  });

  it('flags bytes after a complete response', () => {
    const p = feed('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA');
    assert.equal(p.completed, 1);
    assert.equal(p.excess, true);
  });

  it('rejects malformed answers', () => {
    assert.match(failure('HTTP/2 200 OK\r\n\r\n'), /status line/);
    assert.match(failure('HTTP/1.1 20 OK\r\n\r\n'), /status line/);
    assert.match(failure('SSH-2.0-OpenSSH\r\n\r\n'), /status line/);
    assert.match(failure('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n'), /conflicting/);
    assert.match(failure('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'), /invalid Content-Length/);
    assert.match(failure('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'), /chunk size/);
    assert.match(failure('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX'), /CRLF/);
    assert.match(failure('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n'), /missing chunk size/);
  });

  it('bounds the head size', () => {
    const p = new Recorder();
    p.reset(false);
    const big = Buffer.alloc(64 * 1024, 'a');
    let result = p.execute(Buffer.from('HTTP/1.1 200 OK\r\nX-Big: '));
    for (let i = 0; i < 20 && result !== -1; i++) result = p.execute(big);
    assert.equal(result, -1);
    assert.match(p.error, /too large/);
  });

  it('parses consecutive responses on one connection after reset', () => {
    const p = feed('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na');
    p.reset(false);
    p.execute(Buffer.from('HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n\r\n'));
    assert.deepEqual(
      p.heads.map((h) => h.status),
      [200, 404],
    );
    assert.equal(p.text, 'ab');
    assert.equal(p.completed, 2);
  });

  it('passes large bodies through as slices, without copying into one buffer', () => {
    const body = Buffer.alloc(1 << 20, 7);
    const p = new Recorder();
    p.reset(false);
    p.execute(Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`));
    for (let i = 0; i < body.length; i += 65536) p.execute(body.subarray(i, i + 65536));
    assert.equal(p.completed, 1);
    assert.equal(p.body.length, 16);
    assert.ok(Buffer.concat(p.body).equals(body));
  });

  it('agrees with the generator on 500 random responses split at random points', () => {
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 500; round++) {
      const body = Buffer.alloc(rand(3000), 0);
      for (let i = 0; i < body.length; i++) body[i] = rand(256);
      const mode = rand(3);
      let raw = `HTTP/1.1 ${[200, 201, 206, 400, 404, 500, 503][rand(7)]} Reason\r\nX-Round: ${round}\r\n`;
      const parts: Buffer[] = [];
      if (mode === 0) {
        parts.push(Buffer.from(`${raw}Content-Length: ${body.length}\r\n\r\n`), body);
      } else if (mode === 1) {
        parts.push(Buffer.from(`${raw}Transfer-Encoding: chunked\r\n\r\n`));
        for (let at = 0; at < body.length; ) {
          const size = Math.min(body.length - at, 1 + rand(700));
          const ext = rand(4) === 0 ? ';name=value' : '';
          parts.push(
            Buffer.from(`${rand(2) ? size.toString(16) : size.toString(16).toUpperCase()}${ext}\r\n`),
          );
          parts.push(body.subarray(at, at + size), Buffer.from('\r\n'));
          at += size;
        }
        parts.push(Buffer.from(rand(2) ? '0\r\n\r\n' : '0\r\nX-T: 1\r\n\r\n'));
      } else {
        raw += 'Connection: close\r\n\r\n';
        parts.push(Buffer.from(raw), body);
      }
      const wire = Buffer.concat(parts);
      const p = new Recorder();
      p.reset(false);
      for (let at = 0; at < wire.length; ) {
        const step = 1 + rand(rand(4) === 0 ? 8 : 600);
        assert.notEqual(p.execute(wire.subarray(at, at + step)), -1, `round ${round}: ${p.error}`);
        at += step;
      }
      if (mode === 2) p.eof();
      assert.equal(p.completed, 1, `round ${round} mode ${mode}`);
      assert.ok(Buffer.concat(p.body).equals(body), `round ${round} mode ${mode}`);
      assert.equal(p.heads[0]!.headers['x-round'], String(round));
      assert.equal(p.excess, false);
    }
  });
});
