import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { type Running, startSwitchyard } from '../helpers/cli.js';
import { eventually, request, whoamiName } from '../helpers/http.js';
import {
  ensureTestImage,
  type PodmanService,
  podman,
  removeContainers,
  runContainer,
  runLabel,
  startPodmanService,
} from '../helpers/podman.js';

/**
 * Seed 003, for real: two labelled containers behind `Host(whoami.docker.localhost)` through the real CLI
 * and podman's Docker API. Requests alternate; a stopped container leaves the rotation, a started one
 * comes back, without any reload by hand. Once with v3 labels, once with the seed's v1 labels.
 */

const HOST = 'whoami.docker.localhost';
const LABELS: Record<string, Record<string, string>> = {
  v3: {
    'traefik.http.routers.whoami.rule': `Host(\`${HOST}\`)`,
    'traefik.http.services.whoami.loadbalancer.server.port': '80',
  },
  v1: { 'traefik.backend': 'whoami', 'traefik.frontend.rule': `Host:${HOST}` },
};

let service: PodmanService;
const created: string[] = [];

before(async () => {
  await ensureTestImage();
  service = await startPodmanService();
});
after(async () => {
  await removeContainers(created);
  await service?.stop();
});

/**
 * Who answers `n` requests (names; `!<status>` for a failure, `!timeout`). Each request has a bound: one
 * sent just as a container vanishes can wait on a connection whose peer is gone without a reset.
 */
async function answers(sy: Running, n: number, host = HOST): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const answer = await new Promise<string>((resolve) => {
      const req = http.get(sy.url('web', '/'), { headers: { host }, agent: false, timeout: 3_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () =>
          resolve(res.statusCode === 200 ? (whoamiName(body) ?? '?') : `!${res.statusCode}`),
        );
        res.on('error', () => resolve('!error'));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (err) => resolve(`!${err.message}`));
    });
    out.push(answer);
  }
  return out;
}

for (const flavour of ['v3', 'v1'] as const) {
  describe(`seed 003 with ${flavour} labels`, { timeout: 120_000 }, () => {
    const run = runLabel();
    const one = `whoami1-${run.value}-${flavour}`;
    const two = `whoami2-${run.value}-${flavour}`;
    let sy: Running;

    before(async () => {
      created.push(one, two);
      const labels = { ...LABELS[flavour]!, [run.key]: run.value };
      await Promise.all([runContainer(one, labels), runContainer(two, labels)]);
      sy = await startSwitchyard([
        '--entryPoints.web.address=127.0.0.1:0',
        `--providers.docker.endpoint=${service.endpoint}`,
        `--providers.docker.constraints=${run.constraint}`,
        '--providers.providersThrottleDuration=20ms',
      ]);
    });
    after(async () => {
      await sy?.stop();
    });

    it('alternates between the two containers', async () => {
      await eventually(async () => new Set(await answers(sy, 4)).size === 2);
      const seen = await answers(sy, 6);
      assert.deepEqual([...new Set(seen)].sort(), [one, two].sort());
      assert.ok(
        seen.every((name, i) => i === 0 || name !== seen[i - 1]),
        `alternates: ${seen}`,
      );
    });

    it('takes a stopped container out of the rotation and puts it back when it starts', async () => {
      await podman(['stop', '-t', '1', two]);
      await eventually(async () => (await answers(sy, 4)).every((name) => name === one));
      await podman(['start', two]);
      await eventually(async () => new Set(await answers(sy, 4)).size === 2);
    });

    it('fails no request to containers that stay up while another container comes and goes', async () => {
      const other = `other-${run.value}-${flavour}`;
      created.push(other);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
      const failures: string[] = [];
      let stop = false;
      let count = 0;
      const load = async () => {
        for (let i = 0; i < 20_000 && !stop; i++) {
          const res = await request(sy.url('web', '/'), { headers: { host: HOST }, agent }).catch(
            (err: Error) => ({ status: 0, body: err.message }),
          );
          count++;
          if (res.status !== 200) failures.push(`${res.status} ${res.body.slice(0, 80)}`);
        }
      };
      const workers = Array.from({ length: 4 }, load);
      const labels = { 'traefik.http.routers.other.rule': 'Host(`other.localhost`)', [run.key]: run.value };
      await runContainer(
        other,
        flavour === 'v3' ? labels : { 'traefik.frontend.rule': 'Host:other.localhost', [run.key]: run.value },
      );
      await eventually(async () => (await answers(sy, 1, 'other.localhost'))[0] === other);
      await podman(['rm', '-f', '-t', '0', other]);
      await eventually(async () => (await answers(sy, 1, 'other.localhost'))[0] === '!404');
      stop = true;
      await Promise.all(workers);
      agent.destroy();
      assert.deepEqual(failures, []);
      assert.ok(count > 0);
    });
  });
}
