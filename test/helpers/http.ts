import http from 'node:http';
import https from 'node:https';

export interface SimpleResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP(S) request with node:http (so `Host` can be set freely), body collected as text. A fresh
 * connection each time unless an agent is given.
 */
export function request(
  url: string,
  opts: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    agent?: http.Agent | false;
    servername?: string;
    ca?: string;
    rejectUnauthorized?: boolean;
    /** The client's own address (e.g. 127.0.0.2, so that it differs from the proxy's). */
    localAddress?: string;
  } = {},
): Promise<SimpleResponse> {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      u,
      {
        method: opts.method ?? 'GET',
        headers: opts.headers,
        agent: opts.agent ?? false,
        servername: opts.servername,
        ca: opts.ca,
        rejectUnauthorized: opts.rejectUnauthorized ?? true,
        localAddress: opts.localAddress,
      } as https.RequestOptions,
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Polls `fn` until it returns true (a test guard with a generous limit, never a timing assertion). */
export async function eventually(
  fn: () => Promise<boolean> | boolean,
  limitMs = 15_000,
  stepMs = 50,
): Promise<void> {
  const end = Date.now() + limitMs;
  let lastError: unknown;
  while (Date.now() < end) {
    try {
      if (await fn()) return;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${limitMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}

/** The `Name:` line of a whoami answer. */
export function whoamiName(body: string): string | undefined {
  return /^Name: (.*)$/m.exec(body)?.[1];
}

/** A header line of a whoami text answer (`X-Forwarded-For: 1.2.3.4` → `1.2.3.4`), case-insensitive. */
export function whoamiHeader(body: string, name: string): string | undefined {
  const re = new RegExp(`^${name.replace(/[-]/g, '\\-')}: (.*)$`, 'im');
  return re.exec(body)?.[1];
}
