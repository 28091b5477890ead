import http from 'node:http';
import https from 'node:https';
import type { Writable } from 'node:stream';
import { formatIssues } from '../config/schema/issues.js';
import { loadStaticConfig } from '../config/static/index.js';
import { errorMessage } from '../core/errors.js';
import { parseAddress } from '../entrypoints/address.js';

/** `switchyard healthcheck --help`. */
export const USAGE = `Usage: switchyard healthcheck [--configFile=FILE] [--key.path=value …]

Asks a running Switchyard for /ping on the ping entrypoint, as Traefik's \`healthcheck\` command does:
reads the same static configuration as the instance (file, SWITCHYARD_*/TRAEFIK_* variables, flags), so
\`ping\` must be enabled there. Meant for container health checks (the Dockerfile's HEALTHCHECK) and
readiness probes. Exit codes: 0 healthy (200), 1 unhealthy or unreachable, 2 invalid configuration.`;

/** How long the probe waits for an answer. */
const TIMEOUT_MS = 5000;

/**
 * `switchyard healthcheck`: GET /ping on the ping entrypoint of the local instance; 0 when it answers 200
 * (a draining instance answers 503: unhealthy).
 */
export async function runHealthcheck(argv: string[], out: Writable): Promise<number> {
  const loaded = loadStaticConfig({ argv, env: process.env, cwd: process.cwd() });
  if (loaded.issues.length > 0) {
    out.write(`invalid static configuration:\n${formatIssues(loaded.issues)}\n`);
    return 2;
  }
  const { ping, entryPoints } = loaded.config;
  if (!ping) {
    out.write('ping is not enabled in the static configuration (add "ping: {}" or --ping)\n');
    return 2;
  }
  const entryPoint = entryPoints[ping.entryPoint];
  if (!entryPoint) {
    out.write(`ping.entryPoint "${ping.entryPoint}" is not an entrypoint of the static configuration\n`);
    return 2;
  }
  let url: URL;
  try {
    const { host, port } = parseAddress(entryPoint.address);
    const local = !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    const scheme = entryPoint.http?.tls ? 'https' : 'http';
    url = new URL(`${scheme}://${local.includes(':') ? `[${local}]` : local}:${port}/ping`);
  } catch (err) {
    out.write(`${errorMessage(err)}\n`);
    return 2;
  }
  const status = await probe(url).catch((err: unknown) => errorMessage(err));
  if (status === 200) {
    out.write(`OK: ${url.href}\n`);
    return 0;
  }
  out.write(`unhealthy: ${url.href} ${typeof status === 'number' ? `answered ${status}` : status}\n`);
  return 1;
}

function probe(url: URL): Promise<number> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    // The instance's own certificate is usually not trusted by this machine: reachability is the question.
    const req = client.get(url, { timeout: TIMEOUT_MS, rejectUnauthorized: false, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000}s`)));
    req.on('error', reject);
  });
}
