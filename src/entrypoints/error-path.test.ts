import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { SwitchyardError } from '../core/errors.js';
import type { HttpContext, HttpHandler } from '../core/http-context.js';
import { Logger } from '../core/logger.js';
import { startTestEntryPoint } from '../observability/test-entrypoint.js';
import { guardHandler } from './error-path.js';

const dir = mkdtempSync(join(tmpdir(), 'error-path-'));
const logFile = join(dir, 'log.json');
const logger = Logger.create({ level: 'ERROR', format: 'json', filePath: logFile });

function logLines(): Record<string, unknown>[] {
  let text = '';
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function waitFor<T>(fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 2000; i++) {
    const v = fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('condition never met');
}

const seen = new Map<string, HttpContext>();
const routes: Record<string, HttpHandler> = {
  '/sync': () => {
    throw new Error('sync boom');
  },
  '/async': async () => {
    await tick();
    throw new Error('async boom');
  },
  '/timeout': guardHandler(
    async () => {
      await tick();
      throw new SwitchyardError('UPSTREAM_TIMEOUT', 'slow server');
    },
    logger,
    'mw-timeout@file',
  ),
  '/started': async (ctx) => {
    ctx.res.writeHead(200, { 'content-type': 'text/plain' });
    ctx.res.write('partial');
    await tick();
    throw new Error('failed mid-body');
  },
  '/gone': async (ctx) => {
    await new Promise((resolve) => ctx.rawRes.once('close', resolve));
    throw new Error('after the client left');
  },
};

const handler: HttpHandler = (ctx) => {
  ctx.routerName = `router${ctx.path.replace('/', '-')}@file`;
  seen.set(ctx.path, ctx);
  return routes[ctx.path]!(ctx);
};

let ep: Awaited<ReturnType<typeof startTestEntryPoint>>;
before(async () => {
  ep = await startTestEntryPoint(handler, 'web', logger);
});
after(async () => {
  await ep.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string): Promise<{ status: number; body: string; error?: string }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: ep.port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
      res.on('error', (err) => resolve({ status: res.statusCode!, body, error: err.message }));
    });
    req.on('error', (err) => resolve({ status: 0, body: '', error: err.message }));
    // A request left unanswered fails the test instead of hanging it.
    req.setTimeout(5_000, () => req.destroy(new Error('no answer')));
  });
}

function failureLog(router: string): Record<string, unknown> | undefined {
  const lines = logLines().filter((l) => l.message === 'request handler failed' && l.router === router);
  return lines.length > 0 ? lines[0] : undefined;
}

describe('the error path', () => {
  it('answers 500 once and logs router and cause when a handler throws', async () => {
    const res = await get('/sync');
    assert.equal(res.status, 500);
    assert.equal(res.body, 'Internal Server Error\n');
    const line = await waitFor(() => failureLog('router-sync@file'));
    assert.equal(line.entryPoint, 'web');
    assert.equal(line.error, 'sync boom');
    assert.equal(line.status, 500);
  });

  it('answers 500 when a handler rejects after an await', async () => {
    const res = await get('/async');
    assert.equal(res.status, 500);
    const line = await waitFor(() => failureLog('router-async@file'));
    assert.equal(line.error, 'async boom');
    assert.equal(
      logLines().filter((l) => l.router === 'router-async@file').length,
      1,
      'exactly one log line per failure',
    );
  });

  it("answers a catalogue error's own status and names the middleware", async () => {
    const res = await get('/timeout');
    assert.equal(res.status, 504);
    assert.equal(res.body, 'Gateway Timeout');
    const line = await waitFor(() => failureLog('router-timeout@file'));
    assert.equal(line.middleware, 'mw-timeout@file');
    assert.equal(line.error, 'slow server');
  });

  it('cuts a response that had started instead of answering twice', async () => {
    const res = await get('/started');
    assert.equal(res.status, 200);
    assert.equal(res.body, 'partial');
    assert.ok(res.error, 'the client sees the response cut short');
  });

  it('records 499 when the client left before the failure', async () => {
    const req = http.get({ host: '127.0.0.1', port: ep.port, path: '/gone', agent: false });
    req.on('error', () => {});
    const ctx = await waitFor(() => seen.get('/gone'));
    req.destroy();
    const line = await waitFor(() => failureLog('router-gone@file'));
    assert.equal(line.status, 499);
    assert.equal(ctx.abortedStatus, 499);
  });
});
