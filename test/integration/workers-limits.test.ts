import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { type Backend, startBackend } from '../helpers/backends.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';
import { eventually, request } from '../helpers/http.js';
import { exchange, startEcho, type TcpServer } from './tcp-fixture.js';

/**
 * Rate limit (burst 5, one more token a minute), in-flight limit 2, a health-checked service, and a TCP
 * router with at most 2 connections per client (inFlightConn), and a service with a passive health check
 * whose second server refuses connections.
 */
function config(app: string, hold: string, health: string, echo: string, refusing: string): string {
  return `
tcp:
  routers:
    echo:
      rule: "HostSNI(\`*\`)"
      entryPoints: [tcp]
      middlewares: [two-conns]
      service: echo
  middlewares:
    two-conns:
      inFlightConn: { amount: 2 }
  services:
    echo:
      loadBalancer: { servers: [{ address: "${echo}" }] }
http:
  routers:
    limited:
      rule: "Host(\`rl.test\`)"
      middlewares: [limit]
      service: app
    inflight:
      rule: "Host(\`if.test\`)"
      middlewares: [inflight]
      service: hold
    checked:
      rule: "Host(\`hc.test\`)"
      service: checked
    passive:
      rule: "Host(\`ph.test\`)"
      service: passive
  middlewares:
    limit:
      rateLimit:
        average: 1
        period: 1m
        burst: 5
    inflight:
      inFlightReq:
        amount: 2
  services:
    passive:
      loadBalancer:
        passiveHealthCheck:
          maxFailedAttempts: 1
          failureWindow: 1m
        servers:
          - url: "${app}"
          - url: "${refusing}"
    app:
      loadBalancer:
        servers:
          - url: "${app}"
    hold:
      loadBalancer:
        servers:
          - url: "${hold}"
    checked:
      loadBalancer:
        healthCheck:
          path: /health
          interval: 100ms
          unhealthyInterval: 300ms
          timeout: 200ms
        servers:
          - url: "${health}"
`;
}

for (const workers of [1, 2]) {
  describe(`instance-wide limits with ${workers} worker(s)`, () => {
    let app: Backend;
    let hold: Backend;
    let checked: Backend;
    let echo: TcpServer;
    let healthy = true;
    let hang = false;
    let openProbes = 0;
    let mostOpenProbes = 0;
    let hungProbes = 0;
    const held: ServerResponse[] = [];
    let sy: Running;

    before(async () => {
      app = await startBackend();
      hold = await startBackend((_req, res) => {
        held.push(res);
      });
      checked = await startBackend((req, res) => {
        if (req.url === '/health' && hang) {
          // Never answered: each prober has one probe open until its timeout.
          openProbes++;
          hungProbes++;
          mostOpenProbes = Math.max(mostOpenProbes, openProbes);
          res.once('close', () => openProbes--);
          return;
        }
        res.statusCode = req.url === '/health' && !healthy ? 500 : 200;
        res.end('ok');
      });
      echo = await startEcho('e');
      const dir = tempDir();
      const refusing = `http://127.0.0.1:${await freePort()}`;
      writeFile(dir, 'dynamic.yml', config(app.url, hold.url, checked.url, echo.address, refusing));
      sy = await startSwitchyard(
        [
          `--workers=${workers}`,
          '--entryPoints.web.address=127.0.0.1:0',
          '--entryPoints.tcp.address=127.0.0.1:0',
          `--providers.file.directory=${dir}`,
        ],
        { expectEntryPoints: ['web', 'tcp'], startMs: 60_000 },
      );
      await sy.waitFor(/configuration applied.*generation=2\b/, 60_000);
    });

    after(async () => {
      for (const res of held.splice(0)) res.end();
      await sy?.stop();
      await app?.close();
      await hold?.close();
      await checked?.close();
      await echo?.close();
    });

    it('rateLimit: the same 429 count as one process (burst 5 of 12, ±1 for a token refilled meanwhile)', async () => {
      const statuses: number[] = [];
      // A new connection per request: with two workers they alternate.
      for (let i = 0; i < 12; i++) {
        statuses.push((await request(sy.url('web', '/'), { headers: { host: 'rl.test' } })).status);
      }
      const ok = statuses.filter((s) => s === 200).length;
      assert.ok(ok === 5 || ok === 6, `statuses: ${statuses}`);
      assert.equal(statuses.filter((s) => s === 429).length, 12 - ok);
    });

    it('inFlightReq: at most amount requests at once for the whole instance', async () => {
      const pending = [0, 1].map(() =>
        request(sy.url('web', '/'), { headers: { host: 'if.test' } }).then((r) => r.status),
      );
      await eventually(() => held.length === 2);
      for (let i = 0; i < 4; i++) {
        assert.equal((await request(sy.url('web', '/'), { headers: { host: 'if.test' } })).status, 429);
      }
      for (const res of held.splice(0)) res.end('done');
      assert.deepEqual(await Promise.all(pending), [200, 200]);
      // The permits are back: the next two requests pass.
      const again = [0, 1].map(() =>
        request(sy.url('web', '/'), { headers: { host: 'if.test' } }).then((r) => r.status),
      );
      await eventually(() => held.length === 2);
      for (const res of held.splice(0)) res.end('done');
      assert.deepEqual(await Promise.all(again), [200, 200]);
    });

    it('inFlightConn: at most amount connections per client for the whole instance', async () => {
      const net = await import('node:net');
      const port = sy.ports.get('tcp')!;
      // Two connections held open (with two workers, one on each), both echoed.
      const heldOpen = await Promise.all(
        [1, 2].map(
          (i) =>
            new Promise<import('node:net').Socket>((resolve) => {
              const s = net.connect({ host: '127.0.0.1', port });
              let got = '';
              s.setEncoding('utf8');
              s.on('data', (d: string) => {
                got += d;
                if (got === `e:${i}`) resolve(s);
              });
              s.on('error', () => {});
              s.write(String(i));
            }),
        ),
      );
      // Every further connection, whichever worker takes it, is closed unanswered.
      for (let i = 0; i < 4; i++) {
        const refused = await exchange(port, 'x');
        assert.equal(refused.data, '');
        assert.equal(refused.closed, true);
      }
      for (const s of heldOpen) s.destroy();
      // The permits are back once the held connections close.
      await eventually(async () => (await exchange(port, 'y', { until: (d) => d === 'e:y' })).data === 'e:y');
    });

    it('passive health: the first failure benches the server for the whole instance (one 502, as one process)', async () => {
      const statuses: number[] = [];
      // A new connection per request: with two workers they alternate, each balancing over both servers.
      for (let i = 0; i < 8; i++) {
        statuses.push((await request(sy.url('web', '/'), { headers: { host: 'ph.test' } })).status);
      }
      assert.equal(statuses.filter((s) => s === 502).length, 1, `statuses: ${statuses}`);
      assert.equal(statuses.filter((s) => s === 200).length, 7, `statuses: ${statuses}`);
    });

    it('health: a server found down is left out by every worker, and back when it recovers', async () => {
      // Several requests on new connections reach every worker: all must know.
      const allAnswer = async (status: number) => {
        for (let i = 0; i < 4; i++) {
          const res = await request(sy.url('web', '/'), { headers: { host: 'hc.test' } });
          if (res.status !== status) return false;
        }
        return true;
      };
      healthy = false;
      await eventually(() => allAnswer(503));
      healthy = true;
      await eventually(() => allAnswer(200));
    });

    it('health: one prober per server for the whole instance, not one per worker', async () => {
      hang = true;
      await eventually(() => hungProbes >= 4);
      hang = false;
      // A prober waits for its probe (or its timeout) before the next: more open at once = more probers.
      assert.equal(mostOpenProbes, 1);
    });
  });
}
