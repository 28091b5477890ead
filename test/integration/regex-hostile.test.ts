import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Backend, startBackend } from '../helpers/backends.js';
import { type Running, startWithDynamic } from '../helpers/cli.js';
import { request, type SimpleResponse } from '../helpers/http.js';

/**
 * Issue 18: nested repetitions (`(a+)+`) in rules and middlewares, and inputs that make a backtracking
 * engine try ~2^46 paths. Go (Traefik) answers at once; so must we, and serve everyone else meanwhile.
 */
const RUN = 46;

describe('hostile inputs against nested-repetition regexps (through the CLI)', () => {
  let backend: Backend;
  let sy: Running;

  before(async () => {
    backend = await startBackend((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ url: req.url }));
    });
    sy = await startWithDynamic(
      `
http:
  routers:
    path:
      rule: "PathRegexp(\`^/(a+)+$\`)"
      service: s
    host:
      rule: "HostRegexp(\`^(b+)+\\\\.test$\`)"
      service: s
    header:
      rule: "Path(\`/header\`) && HeaderRegexp(\`X-Evil\`, \`^(c+)+$\`)"
      service: s
    query:
      rule: "Path(\`/query\`) && QueryRegexp(\`q\`, \`^(d+)+$\`)"
      service: s
    strip:
      rule: "PathPrefix(\`/strip\`)"
      middlewares: [strip]
      service: s
    replace:
      rule: "PathPrefix(\`/replace\`)"
      middlewares: [replace]
      service: s
    redirect:
      rule: "PathPrefix(\`/redirect\`)"
      middlewares: [redirect]
      service: s
    plain:
      rule: "Path(\`/plain\`)"
      service: s
  middlewares:
    strip:
      stripPrefixRegex:
        regex: ["^/strip/(e+)+/"]
    replace:
      replacePathRegex:
        regex: "^/replace/(f+)+$"
        replacement: "/replaced"
    redirect:
      redirectRegex:
        regex: "^http://[^/]+/redirect/(g+)+$"
        replacement: "http://elsewhere.test/"
  services:
    s:
      loadBalancer:
        servers:
          - url: "${backend.url}"
`,
    );
  });

  after(async () => {
    await sy?.stop();
    await backend?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}): Promise<SimpleResponse> =>
    request(sy.url('web', path), { headers });

  it('answers every hostile request and serves a normal client meanwhile', async () => {
    const run = (c: string, tail = '!') => c.repeat(RUN) + tail;
    const hostile = [
      get(`/${run('a')}`),
      get('/', { host: run('b', '!.test') }),
      get('/header', { 'x-evil': run('c') }),
      get(`/query?q=${run('d')}`),
      get(`/strip/${run('e')}!/x`),
      get(`/replace/${run('f')}`),
      get(`/redirect/${run('g')}`),
    ];
    const normal = await get('/plain');
    assert.equal(normal.status, 200, 'a normal client is served while the hostile requests are handled');
    const answers = await Promise.all(hostile);
    assert.deepEqual(
      answers.map((r) => r.status),
      [404, 404, 404, 404, 200, 200, 200],
      'no rule matches; the middlewares leave the request unchanged and it reaches the backend',
    );
    assert.deepEqual(
      answers.slice(4).map((r) => JSON.parse(r.body).url),
      [`/strip/${run('e')}!/x`, `/replace/${run('f')}`, `/redirect/${run('g')}`],
    );
  });

  it('still matches and rewrites what the patterns describe', async () => {
    const run = (c: string) => c.repeat(RUN);
    assert.equal((await get(`/${run('a')}`)).status, 200);
    assert.equal((await get('/', { host: `${run('b')}.test` })).status, 200);
    assert.equal((await get('/header', { 'x-evil': run('c') })).status, 200);
    assert.equal((await get(`/query?q=${run('d')}`)).status, 200);
    assert.equal(JSON.parse((await get(`/strip/${run('e')}/x`)).body).url, '/x');
    assert.equal(JSON.parse((await get(`/replace/${run('f')}`)).body).url, '/replaced');
    const redirected = await get(`/redirect/${run('g')}`);
    assert.equal(redirected.status, 302);
    assert.equal(redirected.headers.location, 'http://elsewhere.test/');
  });
});
