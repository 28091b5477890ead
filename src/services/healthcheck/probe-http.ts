import http from 'node:http';
import https from 'node:https';
import type { ConnectionOptions } from 'node:tls';

/** One active check request, resolved at build time. */
export interface ProbeRequest {
  /** Where to send the check (server URL with scheme, port and path replaced as configured). */
  readonly url: URL;
  readonly method: string;
  /** Host header (`hostname`, else the server's host). */
  readonly host: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Expected status; undefined = any 2xx or 3xx. */
  readonly status: number | undefined;
  readonly followRedirects: boolean;
  /** TLS client settings of the service's serversTransport (https checks). */
  readonly tls: ConnectionOptions | undefined;
}

const MAX_REDIRECTS = 10;

/**
 * Sends one HTTP health check; resolves true when the answer is healthy, false otherwise (including
 * connection failures). `signal` carries the timeout and the generation's shutdown.
 */
export async function probeHttp(probe: ProbeRequest, signal: AbortSignal): Promise<boolean> {
  let url = probe.url;
  let host = probe.host;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const { status, location } = await send(probe, url, host, signal);
    const redirect = status >= 300 && status < 400 && location !== undefined;
    if (redirect && probe.followRedirects) {
      url = new URL(location, url);
      host = url.host;
      continue;
    }
    if (probe.status !== undefined) return status === probe.status;
    return status >= 200 && status < 400;
  }
  return false;
}

function send(
  probe: ProbeRequest,
  url: URL,
  host: string,
  signal: AbortSignal,
): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: probe.method,
      headers: { ...probe.headers, host, 'user-agent': 'Switchyard health check' },
      agent: false,
      signal,
      ...(url.protocol === 'https:' ? probe.tls : undefined),
    });
    req.on('response', (res) => {
      res.resume();
      const location = res.headers.location;
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
