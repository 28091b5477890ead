import type { TlsOptions } from 'node:tls';
import { createApiHandler } from '../api/index.js';
import type { DynamicConfig, ServersTransport } from '../config/dynamic/index.js';
import { emptyDynamicConfig } from '../config/dynamic/index.js';
import { listErrors, type RuntimeConfig } from '../config/runtime/runtime-config.js';
import type { StaticConfig } from '../config/static/index.js';
import { errorMessage } from '../core/errors.js';
import { sweepGenerationStores } from '../core/generation-store.js';
import type { HttpHandler } from '../core/http-context.js';
import type { Logger } from '../core/logger.js';
import { type EntryPointHandlers, HttpEntryPoint } from '../entrypoints/http-entrypoint.js';
import { buildGeneration, type Generation, type InternalRoute } from '../graph/build-generation.js';
import { INTERNAL_PRIORITY, pingHandler } from '../internal/ping.js';
import { redirectionRoutes } from '../internal/redirections.js';
import { internalServices } from '../internal/services.js';
import { type AccessLog, createAccessLog } from '../observability/accesslog/index.js';
import { createMetrics, type Metrics } from '../observability/metrics/index.js';
import { createTracing, type Tracing } from '../observability/tracing/index.js';
import { type Provider, providersFromStatic, RestProvider, restProviderHandler } from '../providers/index.js';
import {
  buildCertificateStore,
  type CertificateStore as CertificateStoreLike,
  type CertPair,
  type ClientCertificateCheck,
  createTlsServerOptions,
  generateDefaultCertificate,
  resolveTlsOptions,
} from '../tls/index.js';
import { type MergedConfig, Watcher } from '../watcher/index.js';
import { entryPointOptions } from './entrypoint-options.js';
import { version } from './version.js';

/**
 * One running Switchyard: entrypoints, providers and the watcher, and the swap of configuration
 * generations. Configuration flows one way: providers → watcher → graph builder → entrypoints.
 */
export class Instance {
  private readonly entryPoints: HttpEntryPoint[] = [];
  private readonly stop = new AbortController();
  private generation: Generation | undefined;
  private generationAbort: AbortController | undefined;
  private tls: TlsOptions | undefined;
  private clientCheck: ClientCertificateCheck | undefined;
  private loggedErrors = new Set<string>();
  private readonly redirections: InternalRoute[];
  private readonly metrics: Metrics | undefined;
  readonly accessLog: AccessLog | undefined;
  private readonly tracing: Tracing | undefined;
  private readonly api: HttpHandler | undefined;
  private readonly providers: Provider[];
  private readonly rest: HttpHandler | undefined;
  private certificateFacts: ReturnType<CertificateStoreLike['certificates']> = [];
  private terminating = false;

  private constructor(
    private readonly config: StaticConfig,
    private readonly logger: Logger,
    private readonly generatedDefault: CertPair,
  ) {
    this.redirections = redirectionRoutes(config);
    this.providers = providersFromStatic(config, logger);
    const rest = this.providers.find((p): p is RestProvider => p instanceof RestProvider);
    this.rest = rest ? restProviderHandler(rest) : undefined;
    this.metrics = createMetrics(config.metrics, { runtime: () => this.runtime });
    this.accessLog = createAccessLog(config.accessLog, logger);
    this.tracing = createTracing(config.tracing, logger);
    this.api = config.api
      ? createApiHandler({ runtime: () => this.runtime, staticConfig: config, version: version() })
      : undefined;
  }

  /** Starts listening and providing; resolves once every entrypoint listens. */
  static async start(config: StaticConfig, logger: Logger): Promise<Instance> {
    const instance = new Instance(config, logger, await generateDefaultCertificate());
    await instance.listen();
    instance.startProviders();
    return instance;
  }

  /** What is running now (for the API and tests). */
  get runtime(): RuntimeConfig | undefined {
    return this.generation?.runtime;
  }

  private async listen(): Promise<void> {
    this.apply({ config: emptyDynamicConfig(), issues: [], providerIssues: {} });
    for (const [name, ep] of Object.entries(this.config.entryPoints)) {
      if (ep.address.toLowerCase().endsWith('/udp')) {
        this.logger.warn('UDP entrypoints are not served yet; skipping', { entryPoint: name });
        continue;
      }
      const handlers = this.generation!.handlers.get(name)!;
      const entryPoint = new HttpEntryPoint(entryPointOptions(name, ep), this.logger, handlers, this.tls!);
      entryPoint.setTls(this.tls!, this.clientCheck);
      entryPoint.swap(handlers, this.generation!.tcp.get(name));
      this.entryPoints.push(entryPoint);
    }
    await Promise.all(this.entryPoints.map((ep) => ep.listen()));
  }

  private startProviders(): void {
    const providers = this.providers;
    const watcher = new Watcher({
      providers,
      throttleMs: this.config.providers.providersThrottleDuration,
      logger: this.logger.child({ component: 'watcher' }),
      onConfig: (merged) => this.apply(merged),
    });
    watcher
      .start(this.stop.signal)
      .catch((err) => this.logger.error('watcher stopped', { error: errorMessage(err) }));
  }

  /** Builds a new generation on the side, then swaps it in on every entrypoint. */
  private apply(merged: MergedConfig): void {
    const number = (this.generation?.number ?? 0) + 1;
    const abort = new AbortController();
    const certs = this.buildCertificates(merged.config);
    const generation = buildGeneration({
      config: merged.config,
      elementIssues: merged.issues,
      entryPoints: this.entryPointList(),
      internalRoutes: this.internalRoutes(),
      internalServices: this.internalServices(),
      defaultTransport: this.defaultTransport(),
      defaultTcpTransport: this.config.tcpServersTransport,
      routeOptions: {
        providerPrecedence: this.config.providers.precedence,
        defaultRuleSyntax: this.config.core.defaultRuleSyntax,
      },
      logger: this.logger,
      generation: number,
      signal: abort.signal,
    });
    generation.runtime.other.push(...certs.errors);
    for (const [provider, issues] of Object.entries(merged.providerIssues)) {
      for (const i of issues)
        generation.runtime.other.push({ source: i.source ?? provider, message: i.message });
    }
    this.tls = certs.tls;
    this.clientCheck = certs.clientCheck;
    for (const ep of this.entryPoints) {
      const handlers: EntryPointHandlers | undefined = generation.handlers.get(ep.name);
      ep.setTls(certs.tls, certs.clientCheck);
      if (handlers) ep.swap(handlers, generation.tcp.get(ep.name));
    }
    const previous = this.generationAbort;
    this.generation = generation;
    this.generationAbort = abort;
    previous?.abort();
    this.metrics?.onConfigApplied(true, this.certificateFacts);
    sweepGenerationStores(number);
    this.reportErrors(generation.runtime, merged);
    this.logger.info('configuration applied', {
      generation: number,
      routers: Object.keys(generation.runtime.routers).length,
    });
  }

  /** The certificate store and the default TLS options (`tls.options.default`) as Node server options. */
  private buildCertificates(config: DynamicConfig) {
    const problems: { source: string; message: string }[] = [];
    let resolved: ReturnType<typeof resolveTlsOptions>;
    try {
      resolved = resolveTlsOptions(config.tls.options.default, { name: 'default' });
    } catch (err) {
      problems.push({ source: 'tls', message: errorMessage(err) });
      resolved = resolveTlsOptions({}, { name: 'default' });
    }
    for (const w of resolved.warnings) this.warnOnce(`tls.options.default: ${w}`);
    const { store, errors } = buildCertificateStore({
      certificates: config.tls.certificates,
      defaultCertificate: config.tls.stores.default?.defaultCertificate,
      generatedDefault: this.generatedDefault,
      contextOptions: resolved.contextOptions,
    });
    for (const e of errors) {
      const source =
        e.index === -1 ? 'tls.stores.default.defaultCertificate' : `tls.certificates[${e.index}]`;
      if (e.level === 'error') problems.push({ source, message: e.error });
      else this.warnOnce(`${source}: ${e.error}`);
    }
    this.certificateFacts = store.certificates();
    return {
      tls: createTlsServerOptions(resolved, store),
      clientCheck: resolved.checkClient,
      errors: problems,
    };
  }

  /** Logs each configuration error once, when it first appears. */
  private reportErrors(runtime: RuntimeConfig, merged: MergedConfig): void {
    const known = new Set(merged.issues.map((i) => i.message));
    for (const list of Object.values(merged.providerIssues)) for (const i of list) known.add(i.message);
    const now = new Set(listErrors(runtime).filter((line) => ![...known].some((m) => line.endsWith(m))));
    for (const line of now) {
      if (!this.loggedErrors.has(line)) this.logger.error(`configuration error: ${line}`);
    }
    this.loggedErrors = now;
  }

  private readonly warned = new Set<string>();

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.logger.warn(message);
  }

  private entryPointList() {
    return Object.entries(this.config.entryPoints).map(([name, ep]) => ({
      name,
      asDefault: ep.asDefault,
      middlewares: ep.http.middlewares,
      tls: ep.http.tls !== undefined,
    }));
  }

  private internalServices(): Record<string, HttpHandler> {
    const services = internalServices(() => this.terminating, this.config.ping?.terminatingStatusCode ?? 503);
    if (this.api) {
      services['api@internal'] = this.api;
      services['dashboard@internal'] = this.api;
    }
    if (this.metrics) services['prometheus@internal'] = this.metrics.handler;
    if (this.rest) services['rest@internal'] = this.rest;
    return services;
  }

  private internalRoutes(): InternalRoute[] {
    const routes: InternalRoute[] = [...this.redirections];
    if (this.api && this.config.api?.insecure) {
      routes.push({
        name: 'api@internal',
        entryPoint: 'traefik',
        rule: 'PathPrefix(`/api`) || PathPrefix(`/dashboard`) || Path(`/`)',
        priority: INTERNAL_PRIORITY - 1,
        handler: this.api,
      });
    }
    if (this.rest && this.config.providers.rest?.insecure) {
      routes.push({
        name: 'rest@internal',
        entryPoint: 'traefik',
        rule: 'PathPrefix(`/api/providers`)',
        priority: INTERNAL_PRIORITY,
        handler: this.rest,
      });
    }
    if (this.metrics?.route) {
      routes.push({
        name: 'prometheus@internal',
        ...this.metrics.route,
        priority: INTERNAL_PRIORITY,
        handler: this.metrics.handler,
      });
    }
    const ping = this.config.ping;
    if (ping && !ping.manualRouting) {
      routes.push({
        name: 'ping@internal',
        entryPoint: ping.entryPoint,
        rule: 'PathPrefix(`/ping`)',
        priority: INTERNAL_PRIORITY,
        handler: pingHandler(() => this.terminating, ping.terminatingStatusCode),
      });
    }
    return routes;
  }

  private defaultTransport(): ServersTransport {
    const st = this.config.serversTransport;
    return {
      insecureSkipVerify: st.insecureSkipVerify,
      rootCAs: st.rootCAs,
      maxIdleConnsPerHost: st.maxIdleConnsPerHost,
      forwardingTimeouts: st.forwardingTimeouts,
    };
  }

  /** Graceful stop (SIGTERM): /ping answers 503, entrypoints drain, providers stop. */
  async shutdown(): Promise<void> {
    if (this.terminating) return;
    this.terminating = true;
    this.logger.info('shutting down: draining entrypoints');
    await Promise.all(this.entryPoints.map((ep) => ep.shutdown()));
    this.stop.abort();
    this.generationAbort?.abort();
    await this.accessLog?.close();
    await this.tracing?.close();
    this.metrics?.close();
    sweepGenerationStores(Number.POSITIVE_INFINITY);
  }
}
