import type { Static } from '@sinclair/typebox';
import type { Mirroring } from '../../config/dynamic/http-services.js';
import { mirroringDeclaration } from '../../config/dynamic/service-kinds.js';
import type { HttpContext, HttpHandler } from '../../core/http-context.js';
import type { BuiltService, ServiceDefinition } from '../contract.js';
import { DiscardResponse } from '../discard-response.js';
import { EMPTY_BODY, hasBody, readBody, unreadBody } from '../request-body.js';

interface Mirror {
  readonly handler: HttpHandler;
  readonly percent: number;
  /** Requests sent to this mirror so far (with `total`, keeps the share exact, not random). */
  count: number;
}

/**
 * `mirroring`: every request goes to the main service; a share of them (`percent`, default 0) is also
 * sent to each mirror, whose answers are discarded. Mirrors are sent after the main request started and
 * nothing of the main exchange waits on them. With `mirrorBody` (default) the body is read first so it
 * can be sent again; over `maxBodySize` (-1 = no limit) the request goes to the main service only.
 */
export const mirroringService: ServiceDefinition<Static<typeof Mirroring>> = {
  ...mirroringDeclaration,
  create(config, ctx): BuiltService {
    const main = ctx.service(config.service);
    const mirrors: Mirror[] = (config.mirrors ?? []).map((m) => ({
      handler: ctx.service(m.name),
      percent: m.percent ?? 0,
      count: 0,
    }));
    const mirrorBody = config.mirrorBody ?? true;
    const max = config.maxBodySize ?? -1;
    let total = 0;
    const handler: HttpHandler = (c) => {
      total++;
      let chosen: Mirror[] | undefined;
      for (const m of mirrors) {
        if (m.count * 100 < total * m.percent) {
          m.count++;
          if (chosen === undefined) chosen = [m];
          else chosen.push(m);
        }
      }
      if (chosen === undefined || c.upgrade !== undefined) {
        main(c);
        return;
      }
      const head = { method: c.req.method, url: c.req.url, headers: { ...c.req.headers } };
      if (!mirrorBody || !hasBody(c)) {
        main(c);
        for (const m of chosen) sendMirror(c, head, EMPTY_BODY, !mirrorBody, m.handler);
        return;
      }
      readBody(c, max, (read) => {
        if (read === undefined) return;
        if ('tooLarge' in read) {
          unreadBody(c, read.tooLarge);
          main(c);
          return;
        }
        c.replayBody = read.whole;
        main(c);
        for (const m of chosen) sendMirror(c, head, read.whole, false, m.handler);
      });
    };
    return { handler, serverStatus: () => ({}) };
  },
};

/** The copy's body is `replayBody`: the proxy never reads the request stream, only detaches from it. */
const noop = () => {};
const INERT_STREAM = { on: noop, off: noop, once: noop, pause: noop, resume: noop, readableEnded: true };

type Head = { method: string | undefined; url: string | undefined; headers: HttpContext['req']['headers'] };

/** Sends a copy of the request to a mirror with a response that goes nowhere. */
function sendMirror(c: HttpContext, head: Head, body: Buffer, dropBody: boolean, mirror: HttpHandler): void {
  const headers = { ...head.headers };
  if (dropBody) {
    delete headers['content-length'];
    delete headers['transfer-encoding'];
  }
  const res = new DiscardResponse();
  const copy: HttpContext = {
    ...c,
    req: { ...head, headers, ...INERT_STREAM } as unknown as HttpContext['req'],
    res: res.asWriter(),
    rawRes: res.asRaw(),
    headHooks: undefined,
    upgrade: undefined,
    replayBody: body,
    serverUrl: undefined,
  };
  try {
    mirror(copy);
  } catch {
    // A mirror never affects the main exchange.
  }
}
