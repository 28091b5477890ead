import type { OutgoingHttpHeaders } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { performance } from 'node:perf_hooks';
import { SwitchyardError } from '../../core/errors.js';
import { GenerationStore } from '../../core/generation-store.js';
import { type HttpContext, type ResponseWriter, sendText } from '../../core/http-context.js';
import type { Middleware, MiddlewareBuildContext } from '../contract.js';
import { compileExpression, type ExprFunction } from '../expression.js';
import { ResponseWrapper } from '../response-wrapper.js';
import { RollingMetrics } from './metrics.js';
import type { CircuitBreakerOptions } from './schema.js';

type State = 'closed' | 'open' | 'recovering';

/** A breaker's state; kept across reloads (keyed by middleware name and expression). */
export interface Breaker {
  state: State;
  /** When the current state began (ms since epoch). */
  since: number;
  lastCheck: number;
  metrics: RollingMetrics;
}

/** Breakers by middleware, outliving configuration generations (the instance sweeps it after a swap). */
export const breakers = new GenerationStore<Breaker>();

const FUNCTIONS: Record<string, ExprFunction> = {
  NetworkErrorRatio: { args: 0, call: (m: RollingMetrics) => m.networkErrorRatio() },
  ResponseCodeRatio: {
    args: 4,
    call: (m: RollingMetrics, a) => m.responseCodeRatio(a[0]!, a[1]!, a[2]!, a[3]!),
  },
  LatencyAtQuantileMS: { args: 1, call: (m: RollingMetrics, a) => m.latencyAtQuantileMs(a[0]!) },
  RequestThreshold: { args: 0, call: (m: RollingMetrics) => m.requests() },
};

class ObservedResponse extends ResponseWrapper {
  constructor(
    inner: ResponseWriter,
    private readonly ctx: HttpContext,
    private readonly breaker: Breaker,
  ) {
    super(inner);
  }
  protected override onHead(status: number, headers: OutgoingHttpHeaders): void {
    this.breaker.metrics.record(
      status,
      this.ctx.upstreamError !== undefined,
      performance.now() - this.ctx.startedAt,
    );
    super.onHead(status, headers);
  }
}

/**
 * Closed: requests pass and are measured; every checkPeriod the expression is evaluated and, when true,
 * the breaker opens. Open: every request gets responseCode for fallbackDuration. Recovering: for
 * recoveryDuration a growing share of requests passes (linear ramp); the expression turning true again
 * re-opens, the end of the period closes. Evaluation happens on requests, no timer runs.
 */
export function createCircuitBreaker(
  options: CircuitBreakerOptions,
  build: MiddlewareBuildContext,
): Middleware {
  if (options.expression.trim() === '')
    throw new SwitchyardError('CONFIG_INVALID', 'circuitBreaker: expression is required');
  const trips = compileExpression<RollingMetrics>(options.expression, FUNCTIONS, 'circuitBreaker');
  const breaker = breakers.use(`${build.name}|${options.expression}`, build.generation, () => ({
    state: 'closed',
    since: Date.now(),
    lastCheck: 0,
    metrics: new RollingMetrics(),
  }));
  const { checkPeriod, fallbackDuration, recoveryDuration, responseCode } = options;
  const text = STATUS_CODES[responseCode] ?? 'Service Unavailable';
  const open = (now: number) => {
    breaker.state = 'open';
    breaker.since = now;
  };
  return (next) => (ctx) => {
    const now = Date.now();
    if (breaker.state === 'open' && now - breaker.since >= fallbackDuration) {
      breaker.state = 'recovering';
      breaker.since = now;
      breaker.metrics.reset();
    }
    if (breaker.state === 'recovering' && now - breaker.since >= recoveryDuration) {
      breaker.state = 'closed';
      breaker.since = now;
    }
    if (breaker.state !== 'open' && now - breaker.lastCheck >= checkPeriod) {
      breaker.lastCheck = now;
      if (trips(breaker.metrics)) {
        open(now);
        build.logger.info('circuit breaker opened', { expression: options.expression });
      }
    }
    if (breaker.state === 'open') {
      sendText(ctx, responseCode, text);
      return;
    }
    if (breaker.state === 'recovering' && Math.random() > (now - breaker.since) / recoveryDuration) {
      sendText(ctx, responseCode, text);
      return;
    }
    ctx.res = new ObservedResponse(ctx.res, ctx, breaker).asWriter();
    next(ctx);
  };
}
