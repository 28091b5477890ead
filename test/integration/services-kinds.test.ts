import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, startWithDynamic } from '../helpers/cli.js';
import { request, whoamiName } from '../helpers/http.js';

describe('weighted, failover and mirroring services through the CLI', () => {
  let a: WhoamiServer;
  let b: WhoamiServer;
  let sy: Running;

  before(async () => {
    a = await startWhoami({ name: 'a' });
    b = await startWhoami({ name: 'b' });
    const server = (w: WhoamiServer) => `{ servers: [{ url: "http://127.0.0.1:${w.port}" }] }`;
    sy = await startWithDynamic(
      [
        'http:',
        '  routers:',
        '    w: { rule: "Host(`w.test`)", service: w }',
        '    f: { rule: "Host(`f.test`)", service: f }',
        '    m: { rule: "Host(`m.test`)", service: m }',
        '  services:',
        `    a: { loadBalancer: ${server(a)} }`,
        `    b: { loadBalancer: ${server(b)} }`,
        `    checked-a:`,
        `      loadBalancer:`,
        `        healthCheck: { path: /health, interval: 200ms, timeout: 500ms }`,
        `        servers: [{ url: "http://127.0.0.1:${a.port}" }]`,
        '    w: { weighted: { services: [{ name: a, weight: 3 }, { name: b, weight: 1 }] } }',
        '    f: { failover: { service: checked-a, fallback: b } }',
        '    m: { mirroring: { service: a, mirrors: [{ name: b, percent: 100 }] } }',
      ].join('\n'),
    );
  });

  after(async () => {
    await sy?.stop();
    await a?.close();
    await b?.close();
  });

  const get = async (host: string) => {
    const res = await request(sy.url('web', '/'), { headers: { host } });
    return { status: res.status, name: whoamiName(res.body) };
  };

  it('weighted splits 3:1', async () => {
    const names: (string | undefined)[] = [];
    for (let i = 0; i < 8; i++) names.push((await get('w.test')).name);
    assert.equal(names.filter((n) => n === 'a').length, 6);
    assert.equal(names.filter((n) => n === 'b').length, 2);
  });

  it('mirroring answers from the main service', async () => {
    for (let i = 0; i < 3; i++) assert.deepEqual(await get('m.test'), { status: 200, name: 'a' });
  });

  it('failover moves to the fallback while the main service is unhealthy, and back', async () => {
    assert.equal((await get('f.test')).name, 'a');
    await request(`http://127.0.0.1:${a.port}/health`, { method: 'POST', body: '500' });
    let moved = false;
    for (let i = 0; i < 300 && !moved; i++) {
      moved = (await get('f.test')).name === 'b';
      if (!moved) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(moved, 'fallback used');
    await request(`http://127.0.0.1:${a.port}/health`, { method: 'POST', body: '200' });
    let back = false;
    for (let i = 0; i < 300 && !back; i++) {
      back = (await get('f.test')).name === 'a';
      if (!back) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(back, 'main service back');
  });
});
