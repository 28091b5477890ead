import http from 'node:http';

/** Counts of the soak's requests. */
export interface Mix {
  ok: number;
  failed: number;
  byKind: Record<string, number>;
}

const BODY = Buffer.alloc(16 * 1024, 'x');

/** The kinds of request in the mix, chosen in turn by `n`. */
const KINDS = ['small', 'small', 'small', 'large', 'post', 'fresh', 'head', 'aborted'] as const;

/**
 * One request of the mix: small GETs on keep-alive, a 256 KiB download, a 16 KiB upload, a request on a
 * fresh connection, a HEAD, and a client that goes away in the middle of a 1 MiB download.
 */
export function mixedRequest(port: number, agent: http.Agent, n: number, mix: Mix): Promise<void> {
  const kind = KINDS[n % KINDS.length]!;
  mix.byKind[kind] = (mix.byKind[kind] ?? 0) + 1;
  const paths: Record<string, string> = {
    small: '/',
    large: '/data?size=256&unit=KB',
    post: '/upload',
    fresh: '/',
    head: '/',
    aborted: '/data?size=1&unit=MB',
  };
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: paths[kind],
        method: kind === 'post' ? 'POST' : kind === 'head' ? 'HEAD' : 'GET',
        agent: kind === 'fresh' ? false : agent,
        timeout: 30_000,
      },
      (res) => {
        const expected = 200;
        if (kind === 'aborted') {
          res.once('data', () => {
            req.destroy();
            mix.ok++;
            resolve();
          });
          res.on('error', () => {});
          return;
        }
        res.resume();
        res.on('end', () => {
          if (res.statusCode === expected) mix.ok++;
          else mix.failed++;
          resolve();
        });
        res.on('error', () => {
          mix.failed++;
          resolve();
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      if (kind !== 'aborted') mix.failed++;
      resolve();
    });
    req.end(kind === 'post' ? BODY : undefined);
  });
}
