import { type Running, startSwitchyard, tempDir, writeFile } from './cli.js';

/** A dynamic file with one catch-all router to `http://127.0.0.1:<port>`; returns its path. */
export function catchAllDynamic(port: number): string {
  return writeFile(
    tempDir(),
    'dynamic.yml',
    `http:\n  routers:\n    r:\n      rule: "PathPrefix(\`/\`)"\n      service: s\n  services:\n    s:\n      loadBalancer:\n        servers:\n          - url: "http://127.0.0.1:${port}"\n`,
  );
}

/**
 * The CLI with a `web` entrypoint on 127.0.0.1 port 0 (plus `args`) routing everything to the server on
 * `port`, once that configuration is applied.
 */
export function startProxyTo(port: number, args: string[] = []): Promise<Running> {
  return startWithFile(catchAllDynamic(port), args);
}

/** The CLI with a `web` entrypoint on 127.0.0.1 port 0 (plus `args`) reading the dynamic file `file`, applied. */
export async function startWithFile(file: string, args: string[] = []): Promise<Running> {
  const sy = await startSwitchyard(
    ['--entryPoints.web.address=127.0.0.1:0', ...args, `--providers.file.filename=${file}`],
    { expectEntryPoints: ['web'] },
  );
  await sy.waitFor(/configuration applied.*generation=2/);
  return sy;
}
