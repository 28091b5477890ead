import { errorMessage } from '../../core/errors.js';
import { type Logger, rootLogger } from '../../core/logger.js';
import type { Provider, ProviderSnapshot } from '../contract.js';
import { buildSnapshot } from './build-config.js';
import { compileConstraints } from './constraints.js';
import type { ContainerRules } from './container-config.js';
import { listContainers } from './containers.js';
import { DockerClient, type DockerEndpointOptions } from './docker-client.js';
import { compileTemplate } from './template.js';

/** `providers.docker` (reference §1.3), durations in milliseconds. */
export interface DockerProviderOptions extends Omit<DockerEndpointOptions, 'timeoutMs'> {
  watch?: boolean;
  exposedByDefault?: boolean;
  defaultRule?: string;
  network?: string | undefined;
  useBindPortIP?: boolean;
  constraints?: string | undefined;
  allowEmptyServices?: boolean;
  /** Timeout of each list and inspect request; 0: none. The events stream is never cut. */
  httpClientTimeout?: number;
  logger?: Logger;
  /** Reconnection backoff bounds (ms); defaults 250 and 5000. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

/** Container events that can change routing (`cleanup` is podman's); `health_status…` is matched by prefix. */
const ROUTING_ACTIONS = new Set([
  'start',
  'restart',
  'die',
  'stop',
  'kill',
  'oom',
  'pause',
  'unpause',
  'remove',
  'destroy',
  'cleanup',
  'rename',
  'update',
]);
/** How long after the last event the containers are listed once more. */
const RECHECK_MS = 300;

/**
 * The Docker provider: routing from the labels of the running containers. It lists and inspects them,
 * then follows the engine's events stream; every start, stop, death, removal or health change leads to a
 * fresh listing and a whole new snapshot (the watcher throttles and drops unchanged ones). When the
 * engine goes away the last configuration stays, with an issue, and the provider reconnects with backoff.
 * Works with Docker and with podman's Docker-compatible service.
 *
 * @example new DockerProvider({ endpoint: 'unix:///var/run/docker.sock' }).provide(emit, signal)
 */
export class DockerProvider implements Provider {
  readonly name = 'docker';
  readonly fromStrings = true;
  private readonly client: DockerClient;
  private readonly rules: ContainerRules;
  private readonly log: Logger;

  constructor(private readonly opts: DockerProviderOptions) {
    this.rules = {
      exposedByDefault: opts.exposedByDefault ?? true,
      network: opts.network || undefined,
      useBindPortIP: opts.useBindPortIP ?? false,
      allowEmptyServices: opts.allowEmptyServices ?? false,
      defaultRule: compileTemplate(opts.defaultRule ?? 'Host(`{{ normalize .Name }}`)'),
      constraints: compileConstraints(opts.constraints),
    };
    this.client = new DockerClient({ ...opts, timeoutMs: opts.httpClientTimeout ?? 0 });
    this.log = (opts.logger ?? rootLogger).child({ providerName: 'docker' });
  }

  async provide(emit: (snapshot: ProviderSnapshot) => void, signal: AbortSignal): Promise<void> {
    let lastGood: ProviderSnapshot = { config: {}, issues: [] };
    let running: Promise<boolean> | undefined;
    let again = false;
    /** Lists the containers and emits a snapshot; false when the engine could not be read. */
    const refresh = (): Promise<boolean> => {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        let ok = true;
        do {
          again = false;
          try {
            const containers = await listContainers(this.client);
            if (signal.aborted) break;
            lastGood = buildSnapshot(containers, this.rules, this.log);
            ok = true;
            emit(lastGood);
          } catch (err) {
            if (signal.aborted) break;
            ok = false;
            this.unreachable(emit, lastGood, err);
          }
        } while (again && !signal.aborted);
        running = undefined;
        return ok;
      })();
      return running;
    };

    // The engine can announce a change before its listing shows it (podman: a health status, a container
    // that died or is being removed): after the last event, look once more a little later.
    let recheck: NodeJS.Timeout | undefined;
    const recheckLater = () => {
      clearTimeout(recheck);
      recheck = setTimeout(() => void refresh(), RECHECK_MS);
    };
    signal.addEventListener('abort', () => clearTimeout(recheck), { once: true });

    const minDelay = this.opts.retryMinMs ?? 250;
    const maxDelay = this.opts.retryMaxMs ?? 5_000;
    let delay = minDelay;
    while (!signal.aborted) {
      if (this.opts.watch === false) {
        if (await refresh()) return;
      } else {
        try {
          const filters = encodeURIComponent(JSON.stringify({ type: ['container'] }));
          await this.client.streamEvents(
            `/events?filters=${filters}`,
            (event) => {
              const action = String(event.Action ?? event.status ?? '');
              if (String(event.Type ?? event.type ?? 'container') !== 'container') return;
              if (!ROUTING_ACTIONS.has(action) && !action.startsWith('health_status')) return;
              this.log.debug('container event', { action, container: containerOf(event) });
              void refresh();
              recheckLater();
            },
            () => {
              delay = minDelay;
              void refresh();
            },
            signal,
          );
          if (signal.aborted) return;
          this.unreachable(emit, lastGood, new Error('the events stream ended'));
        } catch (err) {
          if (signal.aborted) return;
          this.unreachable(emit, lastGood, err);
        }
      }
      await sleep(delay, signal);
      delay = Math.min(delay * 2, maxDelay);
    }
  }

  /** The engine cannot be read: keep the last good configuration, with an issue saying why. */
  private unreachable(emit: (s: ProviderSnapshot) => void, lastGood: ProviderSnapshot, err: unknown): void {
    const message = `cannot read the docker engine at ${this.client.address}: ${errorMessage(err)}; the last configuration stays in use`;
    this.log.warn(message);
    emit({ config: lastGood.config, issues: [...lastGood.issues, { message, source: 'docker' }] });
  }
}

function containerOf(event: Record<string, unknown>): string | undefined {
  const actor = event.Actor as { Attributes?: Record<string, string> } | undefined;
  return actor?.Attributes?.name;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
