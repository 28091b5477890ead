import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';

/** Switchyard with `web` and `traefik` entrypoints on port 0, one router `app` to a whoami backend. */
export async function startObserved(
  extraArgs: string[],
): Promise<{ sy: Running; backend: WhoamiServer; dir: string; close: () => Promise<void> }> {
  const backend = await startWhoami({ name: 'obs' });
  const dir = tempDir();
  writeFile(
    dir,
    'dynamic.yml',
    `
http:
  routers:
    app:
      rule: "PathPrefix(\`/\`)"
      entryPoints: [web]
      service: app
      middlewares: [tag]
    broken:
      rule: "Host(\`broken.test\`)"
      service: missing
  middlewares:
    tag:
      headers:
        customResponseHeaders:
          X-Tag: observed
  services:
    app:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${backend.port}"
`,
  );
  const sy = await startSwitchyard(
    [
      '--entryPoints.web.address=127.0.0.1:0',
      '--entryPoints.traefik.address=127.0.0.1:0',
      `--providers.file.directory=${dir}`,
      '--providers.providersThrottleDuration=20ms',
      ...extraArgs,
    ],
    { expectEntryPoints: ['web', 'traefik'] },
  );
  await sy.waitFor(/configuration applied.*generation=2/);
  return {
    sy,
    backend,
    dir,
    close: async () => {
      await sy.stop();
      await backend.close();
    },
  };
}
