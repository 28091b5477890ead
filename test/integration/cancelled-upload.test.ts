import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { h2Connect } from '../helpers/h2-client.js';
import { eventually, request } from '../helpers/http.js';

/**
 * Issue #12: a client that goes away in the middle of its request body must never make the backend see
 * a complete request with a truncated body. Real clients (node's HTTP/2 client, a raw HTTP/1.1 socket),
 * real backends (node http, node http2 h2c), the real CLI and its access log.
 */

const FULL = 4000;
const HALF = 1500;

/** What a backend saw of one upload, by its `x-upload-id`. */
interface Seen {
  bytes: number;
  outcome: 'open' | 'complete' | 'aborted';
}

function recorder() {
  const seen = new Map<string, Seen>();
  const track = (
    req: http.IncomingMessage | http2.Http2ServerRequest,
    res: http.ServerResponse | http2.Http2ServerResponse,
  ) => {
    const id = String(req.headers['x-upload-id'] ?? 'none');
    const entry: Seen = { bytes: 0, outcome: 'open' };
    seen.set(id, entry);
    req.on('data', (c: Buffer) => {
      entry.bytes += c.length;
    });
    req.on('end', () => {
      // node ends an HTTP/2 request whose stream was reset too: only a body that arrived whole counts.
      if (entry.outcome === 'open') entry.outcome = 'complete';
      res.end(`got ${entry.bytes}`);
    });
    req.on('aborted', () => {
      entry.outcome = 'aborted';
    });
    req.on('error', () => {
      entry.outcome = 'aborted';
    });
    req.on('close', () => {
      if (entry.outcome === 'open') entry.outcome = 'aborted';
    });
  };
  return { seen, track };
}

const h1 = recorder();
const h1Backend = http.createServer(h1.track);
const mirror = recorder();
const mirrorBackend = http.createServer(mirror.track);
const h2 = recorder();
const h2Backend = http2.createServer(h2.track);

let sy: Running;
const logFile = join(tempDir(), 'access.json');

const port = (s: net.Server | http2.Http2Server) => (s.address() as AddressInfo).port;

before(async () => {
  for (const s of [h1Backend, mirrorBackend, h2Backend])
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const dir = tempDir();
  writeFile(
    dir,
    'dynamic.yml',
    `
http:
  routers:
    h1:
      rule: "PathPrefix(\`/h1\`)"
      service: h1
    h2c:
      rule: "PathPrefix(\`/h2c\`)"
      service: h2c
    buffered:
      rule: "PathPrefix(\`/buffered\`)"
      service: h1
      middlewares: [buffer]
    retried:
      rule: "PathPrefix(\`/retried\`)"
      service: h2c
      middlewares: [retry]
    mirrored:
      rule: "PathPrefix(\`/mirrored\`)"
      service: mirrored
  middlewares:
    buffer:
      buffering:
        maxRequestBodyBytes: 1000000
    retry:
      retry:
        attempts: 2
  services:
    h1:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${port(h1Backend)}"
    h2c:
      loadBalancer:
        servers:
          - url: "h2c://127.0.0.1:${port(h2Backend)}"
    mirror:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${port(mirrorBackend)}"
    mirrored:
      mirroring:
        service: h1
        mirrors:
          - name: mirror
            percent: 100
`,
  );
  sy = await startSwitchyard(
    [
      '--entryPoints.web.address=127.0.0.1:0',
      `--providers.file.directory=${dir}`,
      `--accesslog.filepath=${logFile}`,
      '--accesslog.format=json',
    ],
    { expectEntryPoints: ['web'] },
  );
  await sy.waitFor(/configuration applied.*generation=2/);
});

after(async () => {
  await sy?.stop();
  for (const s of [h1Backend, mirrorBackend]) {
    s.closeAllConnections();
    s.close();
  }
  h2Backend.close();
});

const webPort = () => Number(new URL(sy.url('web')).port);

/** The access log's status for `path`, once its line is written. */
async function loggedStatus(path: string): Promise<number> {
  let status = 0;
  await eventually(() => {
    if (!existsSync(logFile)) return false;
    for (const line of readFileSync(logFile, 'utf8').split('\n')) {
      if (line === '') continue;
      const entry = JSON.parse(line) as { RequestPath?: string; DownstreamStatus?: number };
      if (entry.RequestPath === path) status = entry.DownstreamStatus ?? 0;
    }
    return status !== 0;
  });
  return status;
}

/** HTTP/2: headers, part of the body, then RST_STREAM CANCEL once `ready` holds. */
async function h2HalfUpload(path: string, id: string, lengthKnown: boolean, ready: () => boolean) {
  const session = await h2Connect(`http://127.0.0.1:${webPort()}`);
  const headers: http2.OutgoingHttpHeaders = { ':method': 'POST', ':path': path, 'x-upload-id': id };
  if (lengthKnown) headers['content-length'] = String(FULL);
  // Cancelled through its signal, node's client sends RST_STREAM CANCEL alone (`close()` would first
  // send END_STREAM, which completes the body as far as HTTP/2 framing goes).
  const cancel = new AbortController();
  const stream = session.request(headers, { signal: cancel.signal });
  stream.on('error', () => {});
  stream.write(Buffer.alloc(HALF, 'a'));
  // The half body is on the wire before the reset (else Switchyard may never see the request).
  await eventually(() => !stream.pending && session.socket.bytesWritten >= HALF);
  await eventually(ready);
  cancel.abort();
  await new Promise((r) => stream.once('close', r));
  session.close();
}

/** HTTP/1.1 on a raw socket: the head, part of the body, then the connection closed once `ready` holds. */
async function h1HalfUpload(path: string, id: string, chunked: boolean, ready: () => boolean) {
  const socket = net.connect(webPort(), '127.0.0.1');
  socket.on('error', () => {});
  await new Promise((r) => socket.once('connect', r));
  const framing = chunked ? 'transfer-encoding: chunked' : `content-length: ${FULL}`;
  socket.write(`POST ${path} HTTP/1.1\r\nhost: upload.test\r\nx-upload-id: ${id}\r\n${framing}\r\n\r\n`);
  const part = Buffer.alloc(HALF, 'a');
  // Chunked: one whole chunk, and never the last (zero-size) one.
  socket.write(
    chunked ? Buffer.concat([Buffer.from(`${HALF.toString(16)}\r\n`), part, Buffer.from('\r\n')]) : part,
  );
  await eventually(() => socket.writableLength === 0);
  await eventually(ready);
  socket.destroy();
}

/** The backend saw the upload cut short (never complete), Switchyard logged 499, and the route still works. */
async function assertAborted(seen: Map<string, Seen>, id: string, path: string, allowUnseen = false) {
  await eventually(() => seen.get(id)?.outcome !== 'open' || (allowUnseen && !seen.has(id)));
  assert.equal(await loggedStatus(path), 499, `access log status for ${path}`);
  const got = seen.get(id);
  if (got !== undefined) {
    await eventually(() => got.outcome !== 'open');
    assert.equal(got.outcome, 'aborted', `${id}: ${JSON.stringify(got)}`);
    assert.ok(got.bytes < FULL);
  } else {
    assert.ok(allowUnseen, `${id} never reached the backend`);
  }
  const next = await request(sy.url('web', `${path.split('/').slice(0, 2).join('/')}/next`), {
    method: 'POST',
    body: Buffer.alloc(FULL, 'b'),
  });
  assert.equal(next.status, 200);
  assert.equal(next.body, `got ${FULL}`);
}

const arrived = (seen: Map<string, Seen>, id: string) => () => (seen.get(id)?.bytes ?? 0) >= HALF;

describe('a client cancelling its upload (issue #12)', () => {
  for (const lengthKnown of [true, false]) {
    const kind = lengthKnown ? 'content-length' : 'no content-length';
    it(`HTTP/2 client, RST_STREAM mid-body (${kind}) -> HTTP/1 backend: the backend's request is aborted`, async () => {
      const id = `h2-h1-${kind}`;
      const path = `/h1/h2-${lengthKnown ? 'cl' : 'chunked'}`;
      await h2HalfUpload(path, id, lengthKnown, arrived(h1.seen, id));
      await assertAborted(h1.seen, id, path);
    });

    it(`HTTP/2 client, RST_STREAM mid-body (${kind}) -> h2c backend: the backend's stream is reset`, async () => {
      const id = `h2-h2c-${kind}`;
      const path = `/h2c/h2-${lengthKnown ? 'cl' : 'chunked'}`;
      await h2HalfUpload(path, id, lengthKnown, arrived(h2.seen, id));
      await assertAborted(h2.seen, id, path);
    });
  }

  for (const chunked of [false, true]) {
    const kind = chunked ? 'chunked without its last chunk' : 'half a content-length body';
    for (const [route, seen] of [
      ['h1', h1.seen],
      ['h2c', h2.seen],
    ] as const) {
      it(`HTTP/1.1 client closes after ${kind} -> ${route} backend: the backend's request is aborted`, async () => {
        const id = `h1-${route}-${chunked}`;
        const path = `/${route}/h1-${chunked ? 'chunked' : 'cl'}`;
        await h1HalfUpload(path, id, chunked, arrived(seen, id));
        await assertAborted(seen, id, path);
      });
    }
  }

  // The middlewares below read the body ahead: the backend must never get what was read as a whole body.
  const readAhead = [
    ['buffered', h1.seen],
    ['retried', h2.seen],
    ['mirrored', h1.seen],
  ] as const;
  for (const [route, seen] of readAhead) {
    it(`${route}: an HTTP/2 upload reset mid-body never reaches the backend as complete`, async () => {
      const id = `${route}-h2`;
      const path = `/${route}/h2`;
      await h2HalfUpload(path, id, true, () => true);
      await assertAborted(seen, id, path, true);
      if (route === 'mirrored') assert.notEqual(mirror.seen.get(id)?.outcome, 'complete');
    });

    it(`${route}: an HTTP/1.1 chunked upload cut mid-body never reaches the backend as complete`, async () => {
      const id = `${route}-h1`;
      const path = `/${route}/h1`;
      await h1HalfUpload(path, id, true, () => true);
      await assertAborted(seen, id, path, true);
      if (route === 'mirrored') assert.notEqual(mirror.seen.get(id)?.outcome, 'complete');
    });
  }
});
