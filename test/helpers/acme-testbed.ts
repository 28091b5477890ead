/**
 * Test support: pebble whose HTTP-01 validations reach a plain HTTP server answering with the key
 * authorizations of the resolvers registered in `answerers` (what an HTTP-01 entrypoint does), a
 * temporary directory, and `LEGO_CA_CERTIFICATES` trusting pebble while it runs.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Pebble, startPebble } from './pebble.js';

const CHALLENGE_PREFIX = '/.well-known/acme-challenge/';

export interface AcmeTestbed {
  pebble: Pebble;
  dir: string;
  /** Paths the CA asked for. */
  seen: string[];
  answerers: { httpChallenge(token: string): Promise<string | undefined> }[];
  stop(): Promise<void>;
}

export async function startAcmeTestbed(
  opts: Omit<Parameters<typeof startPebble>[0], 'httpPort'> = {},
): Promise<AcmeTestbed> {
  const dir = mkdtempSync(join(tmpdir(), 'sy-acme-'));
  const seen: string[] = [];
  const answerers: AcmeTestbed['answerers'] = [];
  const challenges = http.createServer(async (req, res) => {
    const url = req.url ?? '';
    seen.push(url);
    const token = url.slice(CHALLENGE_PREFIX.length);
    const answers = url.startsWith(CHALLENGE_PREFIX)
      ? await Promise.all(answerers.map((r) => r.httpChallenge(token)))
      : [];
    const answer = answers.find(Boolean);
    res.writeHead(answer ? 200 : 404, { 'content-type': 'text/plain' }).end(answer ?? 'unknown token');
  });
  challenges.listen(0, '127.0.0.1');
  await once(challenges, 'listening');
  let pebble: Pebble;
  try {
    pebble = await startPebble({ ...opts, httpPort: (challenges.address() as AddressInfo).port });
  } catch (err) {
    challenges.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  process.env.LEGO_CA_CERTIFICATES = pebble.caFile;
  return {
    pebble,
    dir,
    seen,
    answerers,
    stop: async () => {
      delete process.env.LEGO_CA_CERTIFICATES;
      await pebble.stop();
      challenges.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
