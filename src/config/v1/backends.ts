import {
  bool,
  children,
  defined,
  duration,
  int,
  str,
  stringMap,
  table,
  unknownKeys,
  type V1Object,
} from './v1-tree.js';

/** A v1 backend as v3 pieces: its loadBalancer service and the middlewares v1 ran in front of it. */
export interface ConvertedBackend {
  loadBalancer: V1Object;
  /** Middleware name suffix → `{ <kind>: options }`, in the order they run (before the balancer). */
  middlewares: [string, V1Object][];
}

const BACKEND_KEYS = [
  'servers',
  'loadBalancer',
  'circuitBreaker',
  'healthCheck',
  'maxConn',
  'buffering',
  'responseForwarding',
];

/** v1 `maxconn.extractorfunc` → v3 `sourceCriterion` (inFlightReq and rateLimit share it). */
export function sourceCriterion(extractor: string | undefined, warnings: string[], where: string) {
  const value = (extractor ?? 'client.ip').trim();
  if (value === 'request.host') return { requestHost: true };
  if (value === 'client.ip') return { ipStrategy: {} };
  const header = /^request\.header\.(.+)$/i.exec(value);
  if (header) return { requestHeaderName: header[1]! };
  warnings.push(`${where}: unknown extractorfunc "${value}"; the client IP is used`);
  return { ipStrategy: {} };
}

/** Converts `[backends.<name>]`. */
export function convertBackend(name: string, backend: V1Object, warnings: string[]): ConvertedBackend {
  const where = `backends.${name}`;
  warnings.push(...unknownKeys(backend, BACKEND_KEYS, where));
  const servers = children(backend, 'servers').map(([serverName, server]) => {
    warnings.push(...unknownKeys(server, ['url', 'weight', 'tags'], `${where}.servers.${serverName}`));
    const weight = int(server, 'weight');
    return defined({ url: str(server, 'url') ?? '', weight: weight && weight > 0 ? weight : undefined });
  });
  const loadBalancer: V1Object = { servers };

  const lb = table(backend, 'loadBalancer');
  const method = str(lb, 'method')?.toLowerCase();
  if (method === 'drr') {
    warnings.push(`${where}.loadbalancer.method "drr" has no v3 equivalent; weighted round robin is used`);
  } else if (method && method !== 'wrr') {
    warnings.push(`${where}.loadbalancer.method "${method}" is unknown; weighted round robin is used`);
  }
  const stickiness = table(lb, 'stickiness');
  if (stickiness || bool(lb, 'sticky') === true) {
    loadBalancer.sticky = {
      cookie: defined({
        name: str(stickiness, 'cookieName'),
        secure: bool(stickiness, 'secure'),
        httpOnly: bool(stickiness, 'httpOnly'),
        sameSite: str(stickiness, 'sameSite')?.toLowerCase(),
      }),
    };
  }

  const hc = table(backend, 'healthCheck');
  if (hc) {
    loadBalancer.healthCheck = defined({
      path: str(hc, 'path') ?? '/',
      port: int(hc, 'port'),
      scheme: str(hc, 'scheme'),
      hostname: str(hc, 'hostname'),
      interval: duration(hc, 'interval'),
      timeout: duration(hc, 'timeout'),
      headers: stringMap(hc, 'headers'),
    });
  }
  const flush = duration(table(backend, 'responseForwarding'), 'flushInterval');
  if (flush !== undefined) loadBalancer.responseForwarding = { flushInterval: flush };

  const middlewares: [string, V1Object][] = [];
  const buffering = table(backend, 'buffering');
  if (buffering) {
    const options = defined({
      maxRequestBodyBytes: int(buffering, 'maxRequestBodyBytes'),
      memRequestBodyBytes: int(buffering, 'memRequestBodyBytes'),
      maxResponseBodyBytes: int(buffering, 'maxResponseBodyBytes'),
      memResponseBodyBytes: int(buffering, 'memResponseBodyBytes'),
      retryExpression: str(buffering, 'retryExpression'),
    });
    middlewares.push(['buffering', { buffering: options }]);
  }
  const maxconn = table(backend, 'maxConn');
  if (maxconn) {
    const amount = int(maxconn, 'amount');
    if (amount !== undefined && amount > 0) {
      const criterion = sourceCriterion(str(maxconn, 'extractorFunc'), warnings, `${where}.maxconn`);
      middlewares.push(['maxconn', { inFlightReq: { amount, sourceCriterion: criterion } }]);
    }
  }
  const breaker = table(backend, 'circuitBreaker');
  if (breaker) {
    const expression = str(breaker, 'expression') ?? 'NetworkErrorRatio() > 1';
    middlewares.push(['circuitbreaker', { circuitBreaker: { expression } }]);
  }
  return { loadBalancer, middlewares };
}
