import { type HttpHandler, sendError, sendText } from '../../core/http-context.js';

const CHALLENGE_PREFIX = '/.well-known/acme-challenge/';

/** A certificate in a resolver's store, inline PEM. */
export interface ObtainedCertificate {
  resolver: string;
  main: string;
  sans: string[];
  certFile: string;
  keyFile: string;
}

/** An internal route answering HTTP-01 challenges on one entrypoint. */
export interface ChallengeRoute {
  entryPoint: string;
  rule: string;
  handler: HttpHandler;
}

/**
 * The HTTP-01 routes of `sections` (one per entrypoint named by an `httpChallenge`): the key
 * authorization `answer` gives for the token of the path, else 404.
 */
export function httpChallengeRoutes(
  sections: readonly { httpChallenge?: { entryPoint: string } }[],
  answer: (token: string) => Promise<string | undefined>,
): ChallengeRoute[] {
  const entryPoints = new Set(sections.flatMap((s) => (s.httpChallenge ? [s.httpChallenge.entryPoint] : [])));
  const handler: HttpHandler = (ctx) => {
    const token = ctx.path.slice(CHALLENGE_PREFIX.length);
    answer(token).then(
      (found) => (found ? sendText(ctx, 200, found) : sendError(ctx, 'NOT_FOUND')),
      () => sendError(ctx, 'NOT_FOUND'),
    );
  };
  return [...entryPoints].map((entryPoint) => ({
    entryPoint,
    rule: `PathPrefix(\`${CHALLENGE_PREFIX}\`)`,
    handler,
  }));
}
