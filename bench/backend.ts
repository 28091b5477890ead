import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { waitReady } from './lib/net.js';
import { type Started, startPinned } from './lib/processes.js';
import { nginxBackend } from './peers/nginx.js';

/** The one backend all proxies forward to, pinned with the load generator. */
export interface Backend {
  kind: 'nginx' | 'whoami';
  host: string;
  port: number;
  /** The path the load asks for. */
  urlPath: string;
  started: Started;
}

async function whoamiLaunch(port: number): Promise<{ command: string; args: string[] }> {
  // Run Switchyard's whoami in the form this module runs in: compiled .js, or .ts under tsx.
  const fromSource = import.meta.url.endsWith('.ts');
  const moduleUrl = new URL(`../src/cli/whoami.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
  const code = `const m = await import(${JSON.stringify(moduleUrl)}); await m.startWhoami({ port: ${port} });`;
  const args = [...(fromSource ? ['--import', 'tsx'] : []), '--input-type=module', '-e', code];
  return { command: process.execPath, args };
}

export async function startBackend(
  kind: 'nginx' | 'whoami',
  dir: string,
  port: number,
  cpu: number | undefined,
): Promise<Backend> {
  await mkdir(dir, { recursive: true });
  const launch = kind === 'nginx' ? await nginxBackend(dir, port) : await whoamiLaunch(port);
  const started = startPinned(`backend (${kind})`, cpu, launch.command, launch.args, {
    logFile: path.join(dir, 'output.log'),
  });
  const urlPath = kind === 'nginx' ? '/' : '/bench';
  await waitReady(started, port, urlPath, undefined, 10_000);
  return { kind, host: '127.0.0.1', port, urlPath, started };
}
