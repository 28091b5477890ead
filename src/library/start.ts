import type { AddressInfo } from 'node:net';
import { Instance } from '../cli/instance.js';
import { staticSemanticErrors, unsupportedStaticKeys } from '../cli/static-checks.js';
import type { RuntimeConfig } from '../config/runtime/runtime-config.js';
import { formatIssues } from '../config/schema/issues.js';
import { normalize } from '../config/schema/normalize.js';
import { crossChecks } from '../config/static/derived.js';
import { applyDerivedDefaults, type StaticConfig, staticSchema } from '../config/static/index.js';
import { SwitchyardError } from '../core/errors.js';
import { Logger, type LogLevel } from '../core/logger.js';
import type { Provider } from '../providers/contract.js';
import type { StaticConfigInput } from './input-types.js';

/** What `start()` takes. */
export interface StartOptions {
  /**
   * The static configuration, as the keys of a Traefik v3 static file (`entryPoints`, `providers`, `api`,
   * `log`…). Validated and completed with Traefik's defaults like a file; no file, flag or environment
   * variable is read. Without entrypoints, Switchyard listens on `:80` as Traefik does.
   */
  static?: StaticConfigInput;
  /** Providers written in code (a `ConfigProvider`, or your own `Provider`), beside those `static` names. */
  providers?: Provider[];
  /** Where logs go; default: a logger set up from `static.log` (level `ERROR`, stdout, as Traefik). */
  logger?: Logger;
}

/**
 * A running Switchyard started by `start()`. Entrypoints listen as soon as it exists; each configuration
 * its providers give is validated and swapped in without dropping a request.
 */
export class Switchyard {
  private generationNumber = 0;
  private readonly listeners = new Set<() => void>();
  private instance!: Instance;

  private constructor(readonly config: StaticConfig) {}

  /** @internal */
  static async create(config: StaticConfig, logger: Logger, providers: Provider[]): Promise<Switchyard> {
    const sy = new Switchyard(config);
    sy.instance = await Instance.start(config, logger, {
      providers,
      onApplied: (generation) => {
        sy.generationNumber = generation;
        for (const listener of [...sy.listeners]) listener();
      },
    });
    return sy;
  }

  /** Each entrypoint's bound address (the real port when the configuration said port 0). */
  get entryPoints(): Map<string, AddressInfo> {
    return this.instance.addresses;
  }

  /** `http://127.0.0.1:<port><path>` for an entrypoint (its bound host; `127.0.0.1` when it listens on all). */
  url(entryPoint: string, path = '/'): string {
    const address = this.entryPoints.get(entryPoint);
    if (!address) {
      throw new SwitchyardError(
        'CONFIG_REFERENCE',
        `entrypoint "${entryPoint}" does not exist or does not listen`,
      );
    }
    const wildcard = address.address === '::' || address.address === '0.0.0.0';
    const host = wildcard
      ? '127.0.0.1'
      : address.family === 'IPv6'
        ? `[${address.address}]`
        : address.address;
    return `http://${host}:${address.port}${path}`;
  }

  /** What is running now: every router, service and middleware with its status and errors (as `/api`). */
  get runtime(): RuntimeConfig {
    return this.instance.runtime!;
  }

  /** The number of the configuration generation in use (1 is the empty one at start). */
  get generation(): number {
    return this.generationNumber;
  }

  /**
   * Resolves with the runtime configuration once `ready(runtime)` holds: at once if it holds now, else
   * after the first generation applied for which it does. Rejects after `timeoutMs` (default 30 s).
   *
   * @example await sy.configured((rt) => rt.routers['app@code']?.status === 'enabled');
   */
  configured(ready: (runtime: RuntimeConfig) => boolean, timeoutMs = 30_000): Promise<RuntimeConfig> {
    if (ready(this.runtime)) return Promise.resolve(this.runtime);
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!ready(this.runtime)) return;
        done();
        resolve(this.runtime);
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new SwitchyardError('CONFIG_INVALID', `no configuration met the condition within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  /**
   * Graceful stop, as on SIGTERM: `/ping` answers 503, entrypoints keep accepting for
   * `requestAcceptGraceTimeout`, in-flight requests get `graceTimeOut` to finish, providers stop.
   */
  stop(): Promise<void> {
    return this.instance.shutdown();
  }
}

/**
 * Validates a static configuration object as Switchyard validates a file: Traefik's defaults applied,
 * every problem reported. Throws a SwitchyardError (`CONFIG_INVALID`) listing them all.
 */
export function validateStaticConfig(input: StaticConfigInput = {}): StaticConfig {
  const tree = structuredClone(input) as Record<string, unknown>;
  const normalized = normalize(staticSchema, tree, { locate: () => undefined });
  const config = applyDerivedDefaults(normalized.value);
  const issues = [...normalized.issues, ...crossChecks(config, () => undefined)];
  const errors = issues.length > 0 ? formatIssues(issues).split('\n') : staticSemanticErrors(config);
  if (errors.length > 0) {
    throw new SwitchyardError('CONFIG_INVALID', `invalid static configuration:\n${errors.join('\n')}`);
  }
  return config;
}

/**
 * Starts a Switchyard from a static configuration object: resolves once every entrypoint listens.
 *
 * @example
 *   const routes = new ConfigProvider('app');
 *   const sy = await start({ static: { entryPoints: { web: { address: '127.0.0.1:8000' } } }, providers: [routes] });
 *   routes.set({ http: { … } });
 *   await sy.stop();
 */
export async function start(options: StartOptions = {}): Promise<Switchyard> {
  const config = validateStaticConfig(options.static);
  const logger =
    options.logger ??
    Logger.create({
      level: config.log.level as LogLevel,
      format: config.log.format,
      filePath: config.log.filePath,
    });
  for (const key of unsupportedStaticKeys(config)) {
    logger.warn('static option accepted but not supported yet; it has no effect', { option: key });
  }
  return Switchyard.create(config, logger, options.providers ?? []);
}
