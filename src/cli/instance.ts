import type { AddressInfo } from 'node:net';
import { emptyDynamicConfig } from '../config/dynamic/index.js';
import { listProblems, type RuntimeConfig } from '../config/runtime/runtime-config.js';
import type { StaticConfig } from '../config/static/index.js';
import { errorMessage } from '../core/errors.js';
import { releaseGeneration, sweepGenerationStores } from '../core/generation-store.js';
import type { HttpHandler } from '../core/http-context.js';
import type { Logger } from '../core/logger.js';
import { type EntryPointHandlers, HttpEntryPoint } from '../entrypoints/http-entrypoint.js';
import { builtinExtensions, type Extensions } from '../extensions.js';
import { buildGeneration, type Generation, type InternalRoute } from '../graph/build-generation.js';
import { INTERNAL_PRIORITY, pingHandler } from '../internal/ping.js';
import { redirectionRoutes } from '../internal/redirections.js';
import { internalServices } from '../internal/services.js';
import { type AccessLog, createAccessLog } from '../observability/accesslog/index.js';
import { ConfigHistory } from '../observability/config-history.js';
import { createMetrics, type Metrics } from '../observability/metrics/index.js';
import { RequestStats } from '../observability/stats.js';
import { createTracing, type Tracing } from '../observability/tracing/index.js';
import { type Provider, providersFromStatic, RestProvider, restProviderHandler } from '../providers/index.js';
import { EMPTY_UDP_TABLE } from '../proxy/udp/table.js';
import { MAX_UDP_SESSIONS, UdpEntryPoint } from '../proxy/udp/udp-entrypoint.js';
import { activeHealthSnapshot } from '../services/healthcheck/server-health.js';
import { AcmeManager } from '../tls/acme/manager.js';
import type { ChallengeListener } from '../tls/acme/store-contract.js';
import {
  type CertificateInfo,
  type CertPair,
  generateDefaultCertificate,
  TlsFileWatcher,
  type TlsRouting,
} from '../tls/index.js';
import { type MergedConfig, Watcher } from '../watcher/index.js';
import { type Gather, summedMetricsHandler, summedStatsApi } from '../workers/aggregate.js';
import type { ConfigSnapshot } from '../workers/messages.js';
import type { RemoteAcme } from '../workers/remote-acme.js';
import { entryPointOptions } from './entrypoint-options.js';
import { isUdpAddress, staticGraphInput } from './graph-input.js';
import { version } from './version.js';

/** What an embedding program adds to an instance (the library API, `src/index.ts`). */
export interface InstanceExtras {
  /** Providers written in code, run beside the ones the static configuration names. */
  providers?: Provider[];
  /** Called after each configuration generation is swapped in. */
  onApplied?: (generation: number) => void;
  /** This process's part when the instance runs worker processes (src/workers); one process when absent. */
  role?: InstanceRole;
  /** The registries of every extension kind, plugins loaded (`builtinExtensions()` when absent). */
  extensions?: Extensions;
}

/**
 * With worker processes, the primary runs providers, the watcher, health checks, ACME and the UDP
 * entrypoints, and hands each generation to the workers; workers serve the TCP entrypoints.
 */
export type InstanceRole =
  | { kind: 'primary'; onGeneration(snapshot: ConfigSnapshot): void }
  | { kind: 'worker'; gather: Gather; acme: RemoteAcme; initial?: ConfigSnapshot };

/**
 * One running Switchyard: entrypoints, providers and the watcher, and the swap of configuration
 * generations. Configuration flows one way: providers → watcher → graph builder → entrypoints.
 */
export class Instance {
  private readonly entryPoints: HttpEntryPoint[] = [];
  private readonly udpEntryPoints: UdpEntryPoint[] = [];
  private readonly stop = new AbortController();
  private generation: Generation | undefined;
  private generationAbort: AbortController | undefined;
  private loggedErrors = new Set<string>();
  private loggedWarnings = new Set<string>();
  private readonly redirections: InternalRoute[];
  private readonly metrics: Metrics | undefined;
  readonly accessLog: AccessLog | undefined;
  private readonly tracing: Tracing | undefined;
  /** Re-applies the last configuration when a certificate, key or CA file changes on disk. */
  private readonly tlsFiles: TlsFileWatcher;
  private lastMerged: MergedConfig | undefined;
  /** The primary (or a single process) orders certificates; a worker serves what the primary sends. */
  private readonly acme: AcmeManager | RemoteAcme;
  private readonly api: HttpHandler | undefined;
  private readonly providers: Provider[];
  private readonly rest: HttpHandler | undefined;
  private certificateFacts: readonly CertificateInfo[] = [];
  private terminating = false;
  private readonly role: InstanceRole | undefined;
  private readonly extensions: Extensions;
  private readonly stats: RequestStats | undefined;
  /** `prometheus@internal` as routed: in a worker, the sum over every worker. */
  private readonly metricsHandler: HttpHandler | undefined;
  /** The last generations applied and what changed (the dashboard's history). */
  private readonly history = new ConfigHistory();

  private constructor(
    private readonly config: StaticConfig,
    private readonly logger: Logger,
    private readonly generatedDefault: CertPair,
    private readonly extras: InstanceExtras = {},
    createApiHandler?: typeof import('../api/index.js').createApiHandler,
  ) {
    this.redirections = redirectionRoutes(config);
    this.role = extras.role;
    this.extensions = extras.extensions ?? builtinExtensions();
    const worker = this.role?.kind === 'worker' ? this.role : undefined;
    this.providers = [
      ...providersFromStatic(config, logger, this.extensions.providers),
      ...(extras.providers ?? []),
    ];
    const rest = this.providers.find((p): p is RestProvider => p instanceof RestProvider);
    this.rest = rest ? restProviderHandler(rest) : undefined;
    this.metrics = createMetrics(config.metrics, { runtime: () => this.runtime });
    this.accessLog = createAccessLog(config.accessLog, logger);
    this.tracing = createTracing(config.tracing, logger);
    const reapply = () => {
      if (!this.terminating && this.lastMerged) this.apply(this.lastMerged);
    };
    this.tlsFiles = new TlsFileWatcher(reapply, logger.child({ component: 'tls' }));
    this.acme = worker
      ? worker.acme
      : new AcmeManager(config.certificatesResolvers, logger.child({ component: 'acme' }), reapply);
    this.stats = config.api ? new RequestStats() : undefined;
    const api = createApiHandler
      ? createApiHandler({
          runtime: () => this.runtime,
          staticConfig: config,
          version: version(),
          stats: this.stats,
          history: () => this.history.entries(),
          extensions: this.extensions,
        })
      : undefined;
    this.api = api && worker ? summedStatsApi(api, worker.gather) : api;
    this.metricsHandler =
      this.metrics && worker ? summedMetricsHandler(worker.gather) : this.metrics?.handler;
  }

  /** Starts listening and providing; resolves once every entrypoint listens. */
  static async start(config: StaticConfig, logger: Logger, extras?: InstanceExtras): Promise<Instance> {
    // Workers serve the primary's default certificate: one for the whole instance.
    const shipped = extras?.role?.kind === 'worker' ? extras.role.initial?.defaultCertificate : undefined;
    const certificate = shipped ?? (await generateDefaultCertificate());
    // The API and the dashboard load only when `api` is configured (idle RSS, bench/README.md).
    const api = config.api ? await import('../api/index.js') : undefined;
    const instance = new Instance(config, logger, certificate, extras, api?.createApiHandler);
    await instance.listen();
    if (instance.role?.kind !== 'worker') instance.startProviders();
    return instance;
  }

  /** Each entrypoint's bound address, once listening. */
  get addresses(): Map<string, AddressInfo> {
    const out = new Map<string, AddressInfo>();
    for (const ep of [...this.entryPoints, ...this.udpEntryPoints])
      if (ep.boundAddress) out.set(ep.name, ep.boundAddress);
    return out;
  }

  /** What is running now (for the API and tests). */
  get runtime(): RuntimeConfig | undefined {
    return this.generation?.runtime;
  }

  private async listen(): Promise<void> {
    const initial = this.role?.kind === 'worker' ? this.role.initial : undefined;
    if (initial) this.applySnapshot(initial);
    else this.apply({ config: emptyDynamicConfig(), issues: [], providerIssues: {} });
    for (const [name, ep] of Object.entries(this.config.entryPoints)) {
      // UDP sessions are per-client state: one process (the primary) serves UDP entrypoints.
      if (isUdpAddress(ep.address) ? this.role?.kind === 'worker' : this.role?.kind === 'primary') continue;
      if (isUdpAddress(ep.address)) {
        const udp = new UdpEntryPoint(
          name,
          ep.address,
          ep.udp?.timeout ?? 3_000,
          this.logger,
          ep.udp?.maxSessions ?? MAX_UDP_SESSIONS,
        );
        udp.swap(this.generation!.udp.get(name) ?? EMPTY_UDP_TABLE);
        this.udpEntryPoints.push(udp);
        continue;
      }
      const generation = this.generation!;
      const entryPoint = new HttpEntryPoint(
        entryPointOptions(name, ep),
        this.logger,
        generation.handlers.get(name)!,
      );
      entryPoint.setTls(this.withAcme(generation.tls!.routings.get(name)!));
      entryPoint.swap(generation.handlers.get(name)!, generation.tcp.get(name));
      this.entryPoints.push(entryPoint);
    }
    await Promise.all([...this.entryPoints, ...this.udpEntryPoints].map((ep) => ep.listen()));
  }

  private startProviders(): void {
    const providers = this.providers;
    const watcher = new Watcher({
      providers,
      throttleMs: this.config.providers.providersThrottleDuration,
      logger: this.logger.child({ component: 'watcher' }),
      onConfig: (merged) => this.apply(merged),
      extensions: this.extensions,
    });
    watcher
      .start(this.stop.signal)
      .catch((err) => this.logger.error('watcher stopped', { error: errorMessage(err) }));
  }

  /** In a worker: applies a generation the primary built (same number, same configuration). */
  applySnapshot(snapshot: ConfigSnapshot): void {
    if (this.terminating) return;
    if (this.role?.kind === 'worker') this.role.acme.update(snapshot.certificates);
    this.apply(snapshot.merged, snapshot.number);
  }

  /** In the primary: the key authorization of an HTTP-01 token a worker was asked for. */
  acmeHttpAnswer(token: string): Promise<string | undefined> {
    return this.acme instanceof AcmeManager ? this.acme.httpAnswer(token) : Promise.resolve(undefined);
  }

  /** In the primary: follows the ACME challenge answers (pushed to workers). */
  onAcmeChallenge(listener: ChallengeListener): void {
    if (this.acme instanceof AcmeManager) this.acme.onChallenge(listener);
  }

  /** A worker's part of the instance-wide counters (`metrics`: exposition text, `stats`: `/api/stats`). */
  collect(what: 'metrics' | 'stats'): unknown {
    if (what === 'metrics') return this.metrics?.render() ?? '';
    return this.stats?.snapshot() ?? { time: Date.now(), entryPoints: {}, routers: {}, services: {} };
  }

  /** Builds a new generation on the side, then swaps it in on every entrypoint. */
  private apply(merged: MergedConfig, given?: number): void {
    const previousNumber = this.generation?.number;
    const number = given ?? (previousNumber ?? 0) + 1;
    const worker = this.role?.kind === 'worker';
    const abort = new AbortController();
    const generation = buildGeneration({
      config: merged.config,
      elementIssues: merged.issues,
      ...staticGraphInput(this.config),
      internalRoutes: this.internalRoutes(),
      internalServices: this.internalServices(),
      logger: this.logger,
      generatedCertificate: this.generatedDefault,
      extraCertificates: this.acme.certificates(),
      acmeCertificate: (resolver, main, sans) => this.acme.find(resolver, main, sans),
      generation: number,
      signal: abort.signal,
      extensions: this.extensions,
    });
    const tls = generation.tls!;
    for (const issue of tls.generation.issues) {
      if (issue.level === 'error')
        generation.runtime.other.push({ source: issue.source, message: issue.message });
      else this.warnOnce(`${issue.source}: ${issue.message}`);
    }
    this.certificateFacts = tls.generation.certificates;
    generation.runtime.tls = {
      certificates: tls.generation.certificates,
      options: [...new Set(['default', ...Object.keys(merged.config.tls.options)])],
      certResolvers: Object.keys(this.config.certificatesResolvers),
    };
    this.lastMerged = merged;
    if (!worker) {
      // The primary watches certificate files and orders certificates, then hands out a new snapshot.
      this.tlsFiles.update(tls.generation.files);
      this.acme.want(tls.acme);
    }
    for (const [provider, issues] of Object.entries(merged.providerIssues)) {
      for (const i of issues)
        generation.runtime.other.push({ source: i.source ?? provider, message: i.message });
    }
    const drains: Promise<void>[] = [];
    for (const ep of this.entryPoints) {
      const handlers: EntryPointHandlers | undefined = generation.handlers.get(ep.name);
      const routing = tls.routings.get(ep.name);
      if (routing) ep.setTls(this.withAcme(routing));
      if (handlers) drains.push(ep.swap(handlers, generation.tcp.get(ep.name)));
    }
    for (const ep of this.udpEntryPoints) ep.swap(generation.udp.get(ep.name) ?? EMPTY_UDP_TABLE);
    const previous = this.generationAbort;
    this.generation = generation;
    this.generationAbort = abort;
    previous?.abort();
    this.metrics?.onConfigApplied(true, this.certificateFacts);
    // State (pools, buckets, Redis clients) of the replaced generation is released once its last
    // request has finished, not at the swap: a draining request still uses it.
    const replaced = previousNumber;
    if (replaced !== undefined) void Promise.all(drains).then(() => releaseGeneration(replaced));
    const routers = Object.keys(generation.runtime.routers).length;
    if (this.role?.kind === 'primary' && this.acme instanceof AcmeManager) {
      this.reportErrors(generation.runtime, merged);
      // Announced by the primary once every worker has it (src/workers/primary.ts).
      this.role.onGeneration({
        number,
        merged,
        certificates: this.acme.obtained(),
        defaultCertificate: this.generatedDefault,
        health: activeHealthSnapshot(),
        routers,
      });
      return;
    }
    if (worker) {
      this.logger.debug('worker applied configuration', { generation: number, routers });
      return;
    }
    this.reportErrors(generation.runtime, merged);
    this.history.record(number, generation.runtime);
    this.logger.info('configuration applied', { generation: number, routers });
    this.extras.onApplied?.(number);
  }

  /** The routing, answering ACME TLS-ALPN-01 validations when a resolver uses `tlsChallenge`. */
  private withAcme(routing: TlsRouting): TlsRouting {
    if (!this.acme.enabled) return routing;
    return {
      choose: (hello) => routing.choose(hello),
      acmeChallenge: (name) => this.acme.alpnChallenge(name),
    };
  }

  /** Logs each configuration error and warning once, when it first appears. */
  private reportErrors(runtime: RuntimeConfig, merged: MergedConfig): void {
    const known = new Set(merged.issues.map((i) => i.message));
    for (const list of Object.values(merged.providerIssues)) for (const i of list) known.add(i.message);
    // A line is `<kind> <name>: <message>` (or `<source>: <message>`); a message may hold `: ` itself, so
    // every tail after a `: ` is looked up — linear in the lines, where comparing each line with every
    // known message was quadratic with thousands of broken elements.
    const alreadyLogged = (line: string) => {
      for (let at = line.indexOf(': '); at !== -1; at = line.indexOf(': ', at + 2))
        if (known.has(line.slice(at + 2))) return true;
      return known.has(line);
    };
    const fresh = (lines: string[]) => new Set(lines.filter((line) => !alreadyLogged(line)));
    const problems = listProblems(runtime);
    const now = fresh(problems.errors);
    for (const line of now) {
      if (!this.loggedErrors.has(line)) this.logger.error(`configuration error: ${line}`);
    }
    this.loggedErrors = now;
    const warnings = fresh(problems.warnings);
    for (const line of warnings) {
      if (!this.loggedWarnings.has(line)) this.logger.warn(`configuration warning: ${line}`);
    }
    this.loggedWarnings = warnings;
  }

  private readonly warned = new Set<string>();

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.logger.warn(message);
  }

  private internalServices(): Record<string, HttpHandler> {
    return internalServices(this.config, {
      'api@internal': this.api,
      'dashboard@internal': this.api,
      'ping@internal': pingHandler(() => this.terminating, this.config.ping?.terminatingStatusCode ?? 503),
      'prometheus@internal': this.metricsHandler,
      'rest@internal': this.rest,
    });
  }

  private internalRoutes(): InternalRoute[] {
    const routes: InternalRoute[] = [...this.redirections];
    for (const challenge of this.acme.challengeRoutes()) {
      routes.push({
        name: 'acme-http@internal',
        scheme: 'http',
        priority: INTERNAL_PRIORITY,
        ...challenge,
      });
    }
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
        handler: this.metricsHandler!,
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

  /** SIGHUP: providers that can read their source again on demand (the file provider) do so now. */
  reload(): void {
    if (this.terminating) return;
    for (const provider of this.providers) provider.refresh?.();
  }

  /** Graceful stop (SIGTERM): /ping answers 503, entrypoints drain, providers stop. */
  async shutdown(): Promise<void> {
    if (this.terminating) return;
    this.terminating = true;
    this.logger.info('shutting down: draining entrypoints');
    await Promise.all(this.entryPoints.map((ep) => ep.shutdown()));
    await Promise.all(this.udpEntryPoints.map((ep) => ep.close()));
    this.stop.abort();
    this.tlsFiles.close();
    this.acme.close();
    this.generationAbort?.abort();
    await this.accessLog?.close();
    await this.tracing?.close();
    this.metrics?.close();
    this.stats?.close();
    sweepGenerationStores(Number.POSITIVE_INFINITY);
  }
}
