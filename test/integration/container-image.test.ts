import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/cli.js';
import { eventually, request, whoamiName } from '../helpers/http.js';
import { ensureNodeBaseImage, NODE_BASE_IMAGE } from '../helpers/node-image.js';
import { podman, removeContainers } from '../helpers/podman.js';

// The repository's Dockerfile, built with podman from a Node.js base assembled from this machine (no
// registry can be reached; npm installs offline from this machine's npm cache), then run as users run it:
// its ENTRYPOINT, its HEALTHCHECK, no --init.
// The image build compiles the project inside the container: minutes on a loaded machine, so this file runs
// after the others with its own limit (scripts/run-tests.mjs).
// test-file-timeout: 900000
const IMAGE = 'localhost/switchyard-test-image:latest';
const NPM_CACHE = join(process.env.HOME ?? '/root', '.npm');

describe('the container image (Dockerfile)', { timeout: 1_200_000 }, () => {
  const name = `switchyard-image-${randomBytes(4).toString('hex')}`;
  let web: string;
  let admin: string;

  before(
    async () => {
      await ensureNodeBaseImage();
      await podman(
        [
          'build',
          '--format',
          'docker',
          '--build-arg',
          `NODE_IMAGE=${NODE_BASE_IMAGE}`,
          '--build-arg',
          'NPM_CONFIG_OFFLINE=true',
          '--volume',
          `${NPM_CACHE}:/root/.npm:O`,
          '--tag',
          IMAGE,
          REPO_ROOT,
        ],
        1_000_000,
      );
      // The quick start as shipped (examples/quickstart.yml, mounted where the image looks for a static
      // configuration), listening on every interface of the container so that published ports reach it.
      await podman([
        'run',
        '-d',
        '--name',
        name,
        '-p',
        '127.0.0.1::8000',
        '-p',
        '127.0.0.1::8080',
        '-e',
        'SWITCHYARD_ENTRYPOINTS_WEB_ADDRESS=:8000',
        '-e',
        'SWITCHYARD_ENTRYPOINTS_WEBSECURE_ADDRESS=:8443',
        '-e',
        'SWITCHYARD_ENTRYPOINTS_TRAEFIK_ADDRESS=:8080',
        '-v',
        `${join(REPO_ROOT, 'examples', 'quickstart.yml')}:/etc/switchyard/switchyard.yml:ro`,
        IMAGE,
      ]);
      // The quick start's two backends, inside the same container (its 127.0.0.1).
      for (const [port, backend] of [
        [9001, 'backend-1'],
        [9002, 'backend-2'],
      ]) {
        await podman([
          'exec',
          '-d',
          name,
          'node',
          '/app/bin/switchyard.js',
          'whoami',
          `--port=${port}`,
          `--name=${backend}`,
        ]);
      }
      const port = async (p: number) => (await podman(['port', name, String(p)])).split(':').at(-1);
      web = `http://127.0.0.1:${await port(8000)}`;
      admin = `http://127.0.0.1:${await port(8080)}`;
    },
    { timeout: 1_100_000 },
  );

  after(() => removeContainers([name]));

  it('routes the quick start to its backends', async () => {
    const seen = new Set<string | undefined>();
    await eventually(
      async () => {
        const res = await request(`${web}/`, { headers: { host: 'localhost' } });
        if (res.status === 200) seen.add(whoamiName(res.body));
        return seen.has('backend-1') && seen.has('backend-2');
      },
      60_000,
      100,
    );
    const api = await request(`${web}/api/hello`, { headers: { host: 'localhost' } });
    assert.equal(api.status, 200);
    assert.match(api.body, /GET \/hello /);
    assert.equal(api.headers['x-served-by'], 'switchyard');
  });

  it('runs node as PID 1, as the unprivileged node user', async () => {
    const cmdline = await podman(['exec', name, 'cat', '/proc/1/cmdline']);
    assert.equal(cmdline.split('\0').filter(Boolean).join(' '), 'node /app/bin/switchyard.js');
    const status = await podman(['exec', name, 'cat', '/proc/1/status']);
    assert.match(status, /^Uid:\s+1000\s/m);
  });

  it('passes its HEALTHCHECK (switchyard healthcheck on /ping)', async () => {
    assert.equal((await request(`${admin}/ping`)).status, 200);
    // podman's inspect has the image's health check at the top level (docker's under Config).
    const image = JSON.parse(await podman(['image', 'inspect', IMAGE]))[0];
    assert.deepEqual(image.Healthcheck.Test, ['CMD', 'node', '/app/bin/switchyard.js', 'healthcheck']);
    await podman(['healthcheck', 'run', name]);
  });

  it('stops gracefully on SIGTERM from podman stop, without an init process', async () => {
    // An unhandled SIGTERM would leave the container running until the 60 s timeout, then SIGKILL: 137.
    await podman(['stop', '-t', '60', name], 90_000);
    const state = JSON.parse(await podman(['inspect', name]))[0].State;
    assert.equal(state.ExitCode, 0);
    const logs = await podman(['logs', name]);
    assert.match(logs, /signal received signal=SIGTERM/);
    assert.match(logs, /stopped/);
  });
});
