import assert from 'node:assert/strict';
import { mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileLines as lines } from '../../../test/helpers/cli.js';
import { eventually, request } from '../../../test/helpers/http.js';
import { normalize } from '../../config/schema/normalize.js';
import { AccessLogSchema } from '../../config/static/schema-logs.js';
import { Logger } from '../../core/logger.js';
import { fakeRoute, startTestEntryPoint } from '../test-entrypoint.js';
import { clfTime, localIso, utcIso } from './clock.js';
import { createAccessLog } from './index.js';

const logger = Logger.create({ level: 'FATAL' });
const config = (input: object) => normalize(AccessLogSchema, input).value;

async function withLog(
  input: object,
  status: number,
  fn: (url: (p?: string) => string, path: string) => Promise<void>,
): Promise<string[]> {
  const path = join(mkdtempSync(join(tmpdir(), 'sy-accesslog-')), 'access.log');
  const log = createAccessLog(config({ filePath: path, ...input }), logger)!;
  const ep = await startTestEntryPoint(fakeRoute(status, 'hello'));
  try {
    await fn(ep.url, path);
  } finally {
    await ep.close();
    await log.close();
  }
  return lines(path);
}

describe('access log', () => {
  it('writes Traefik common format lines', async () => {
    const out = await withLog({}, 200, async (url, path) => {
      await request(url('/a?b=1'), { headers: { 'user-agent': 'tester/1', referer: 'http://r/' } });
      await eventually(() => lines(path).length === 1);
    });
    assert.match(
      out[0]!,
      /^127\.0\.0\.1 - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "GET \/a\?b=1 HTTP\/1\.1" 200 5 "http:\/\/r\/" "tester\/1" 1 "r@file" "http:\/\/127\.0\.0\.1:9" \d+ms$/,
    );
  });

  it('writes generic CLF and JSON with field and header modes', async () => {
    const clf = await withLog({ format: 'genericCLF' }, 404, async (url, path) => {
      await request(url('/x'));
      await eventually(() => lines(path).length === 1);
    });
    assert.match(clf[0]!, /"GET \/x HTTP\/1\.1" 404 5 "-" "-"$/);
    const json = await withLog(
      {
        format: 'json',
        fields: {
          names: { ClientHost: 'drop' },
          headers: { defaultMode: 'keep', names: { Authorization: 'redact', 'X-Drop': 'drop' } },
        },
      },
      200,
      async (url, path) => {
        await request(url('/j'), {
          headers: { authorization: 'Bearer s3cret', 'x-drop': 'y', 'x-keep': 'z' },
        });
        await eventually(() => lines(path).length === 1);
      },
    );
    const entry = JSON.parse(json[0]!);
    assert.equal(entry.ClientHost, undefined);
    assert.equal(entry.RequestPath, '/j');
    assert.equal(entry.DownstreamStatus, 200);
    assert.equal(entry.OriginStatus, 200);
    assert.equal(entry.RouterName, 'r@file');
    assert.equal(entry.ServiceAddr, '127.0.0.1:9');
    assert.equal(entry.request_Authorization, 'REDACTED');
    assert.equal(entry['request_X-Drop'], undefined);
    assert.equal(entry['request_X-Keep'], 'z');
    assert.equal(entry['downstream_Content-Type'], 'text/plain');
    for (const f of [
      'StartUTC',
      'StartLocal',
      'Duration',
      'RequestCount',
      'RequestLine',
      'Overhead',
      'level',
      'time',
    ])
      assert.ok(f in entry, f);
    assert.ok(!json.join('').includes('s3cret'));
  });

  it('keeps only lines matching a filter', async () => {
    const out = await withLog({ filters: { statusCodes: ['500-599', '404'] } }, 200, async (url) => {
      for (let i = 0; i < 3; i++) await request(url('/'));
    });
    assert.deepEqual(out, []);
    const errors = await withLog({ filters: { statusCodes: ['200-299'] } }, 204, async (url, path) => {
      await request(url('/'));
      await eventually(() => lines(path).length === 1);
    });
    assert.equal(errors.length, 1);
  });

  it('reopens the file after rotation without losing a line', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sy-rotate-')), 'access.log');
    const log = createAccessLog(config({ filePath: path, bufferingSize: 5 }), logger)!;
    const ep = await startTestEntryPoint(fakeRoute(200));
    try {
      for (let i = 0; i < 7; i++) await request(ep.url(`/before${i}`));
      await eventually(() => lines(path).length >= 5);
      renameSync(path, `${path}.1`);
      log.reopen();
      for (let i = 0; i < 4; i++) await request(ep.url(`/after${i}`));
    } finally {
      await ep.close();
      await log.close();
    }
    const all = [...lines(`${path}.1`), ...lines(path)];
    assert.equal(all.length, 11);
    assert.ok(lines(path).some((l) => l.includes('/after3')));
  });

  it('keeps serving when the disk is full', async () => {
    const log = createAccessLog(config({ filePath: '/dev/full' }), logger)!;
    const ep = await startTestEntryPoint(fakeRoute(200));
    try {
      for (let i = 0; i < 50; i++) assert.equal((await request(ep.url('/'))).status, 200);
      await eventually(() => log.dropped > 0);
    } finally {
      await ep.close();
      await log.close();
    }
  });

  it('formats CLF timestamps', () => {
    assert.match(clfTime(0), /^\d\d\/(Jan|Dec)\/19(70|69):\d\d:\d\d:\d\d [+-]\d{4}$/);
  });

  it('formats ISO timestamps as Date does, also when two seconds alternate', () => {
    const now = Date.now();
    for (const ms of [0, 999.7, 1_700_000_000_123, now, now - 1000, now, now + 1, now - 1000.5]) {
      const d = new Date(Math.floor(ms));
      assert.equal(utcIso(ms), d.toISOString());
      const local = new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 23);
      assert.equal(localIso(ms).slice(0, 23), local);
    }
  });
});
