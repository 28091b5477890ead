import { SwitchyardError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { pluginError } from '../manifest.js';
import { HOST_FUNCTIONS, HOST_MODULE, WASI_MODULE } from './abi.js';
import type { Exchange } from './exchange.js';
import { AbiError, type HostState, hostFunctions } from './host.js';
import { FUEL_EXPORT, meter } from './meter.js';

/** Steps (function calls and loop iterations) a guest may spend in one call of handle_request/handle_response. */
export const STEPS_PER_CALL = 20_000_000;
/** Steps a guest may spend starting (`_start`/`_initialize`, its start function). */
export const STEPS_AT_START = 200_000_000;
/** Idle instances kept per middleware. */
const POOL_SIZE = 32;

/** A compiled guest: the metered module and whether it needs WASI. */
export interface CompiledGuest {
  readonly plugin: string;
  readonly module: WebAssembly.Module;
  /** Node's WASI class when the guest imports WASI (loaded only then: node prints a warning when it is). */
  readonly wasi: typeof import('node:wasi').WASI | undefined;
  readonly hasResponseHandler: boolean;
}

/** Meters and compiles `wasm`, checking its imports and exports; throws a plugin error saying what is wrong. */
export async function compileGuest(plugin: string, file: string, wasm: Uint8Array): Promise<CompiledGuest> {
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(meter(wasm, STEPS_AT_START));
  } catch (err) {
    throw pluginError(plugin, `${file} is not a usable WebAssembly module: ${(err as Error).message}`, err);
  }
  let wasi = false;
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module === WASI_MODULE) wasi = true;
    else if (imp.module !== HOST_MODULE || !(HOST_FUNCTIONS as readonly string[]).includes(imp.name)) {
      throw pluginError(
        plugin,
        `${file} imports ${imp.module}.${imp.name}, which the http-wasm host does not provide`,
      );
    }
  }
  const exports = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  for (const name of ['memory', 'handle_request']) {
    if (!exports.has(name))
      throw pluginError(plugin, `${file} does not export "${name}" (an http-wasm guest must)`);
  }
  return {
    plugin,
    module,
    wasi: wasi ? (await import('node:wasi')).WASI : undefined,
    hasResponseHandler: exports.has('handle_response'),
  };
}

/** One instance of a guest, with the host state its imports work on. */
export class GuestInstance {
  private readonly fuel: WebAssembly.Global;
  private readonly onRequest: () => bigint;
  private readonly onResponse: ((reqCtx: number, isError: number) => void) | undefined;

  private constructor(
    readonly state: HostState,
    instance: WebAssembly.Instance,
    private readonly plugin: string,
  ) {
    this.fuel = instance.exports[FUEL_EXPORT] as WebAssembly.Global;
    this.onRequest = instance.exports.handle_request as () => bigint;
    this.onResponse = instance.exports.handle_response as typeof this.onResponse;
  }

  /** Instantiates and starts a guest; throws a SwitchyardError naming the plugin when it fails. */
  static create(
    guest: CompiledGuest,
    config: Buffer,
    logger: Logger,
    features: { value: number },
  ): GuestInstance {
    const state: HostState = { memory: undefined, exchange: undefined, config, logger, features };
    const imports: WebAssembly.Imports = { [HOST_MODULE]: hostFunctions(state) };
    let wasi: import('node:wasi').WASI | undefined;
    if (guest.wasi) {
      wasi = new guest.wasi({ version: 'preview1', args: [], env: {}, returnOnExit: true });
      imports[WASI_MODULE] = (wasi.getImportObject() as WebAssembly.Imports)[WASI_MODULE]!;
    }
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(guest.module, imports);
    } catch (err) {
      throw runFailure(guest.plugin, 'starting', err, undefined);
    }
    state.memory = instance.exports.memory as WebAssembly.Memory;
    const self = new GuestInstance(state, instance, guest.plugin);
    const start = instance.exports._start ?? instance.exports._initialize;
    if (typeof start === 'function') {
      self.fuel.value = STEPS_AT_START;
      try {
        if (wasi && instance.exports._start) wasi.start(instance);
        else if (wasi) wasi.initialize(instance);
        else (start as () => void)();
      } catch (err) {
        throw runFailure(guest.plugin, 'starting', err, self.fuel.value);
      }
    }
    return self;
  }

  /** Runs handle_request for `ex`; returns its ctx_next. Throws (the instance is then unusable) on a trap. */
  handleRequest(ex: Exchange): bigint {
    return this.run(ex, 'handle_request', this.onRequest);
  }

  handleResponse(ex: Exchange, reqCtx: number, isError: boolean): void {
    const onResponse = this.onResponse;
    if (onResponse) this.run(ex, 'handle_response', () => onResponse(reqCtx, isError ? 1 : 0));
  }

  private run<T>(ex: Exchange, what: string, call: () => T): T {
    this.state.exchange = ex;
    this.fuel.value = STEPS_PER_CALL;
    try {
      return call();
    } catch (err) {
      throw runFailure(this.plugin, what, err, this.fuel.value);
    } finally {
      this.state.exchange = undefined;
    }
  }
}

function runFailure(
  plugin: string,
  what: string,
  err: unknown,
  fuelLeft: number | undefined,
): SwitchyardError {
  const why =
    fuelLeft === 0
      ? `the guest ran past its budget of ${what === 'starting' ? STEPS_AT_START : STEPS_PER_CALL} steps in ${what} (a loop that does not end?)`
      : err instanceof AbiError
        ? `the guest misused the http-wasm ABI in ${what}: ${err.message}`
        : err instanceof WebAssembly.RuntimeError
          ? `the guest trapped in ${what}: ${err.message}`
          : `the guest failed in ${what}: ${err instanceof Error ? err.message : String(err)}`;
  return new SwitchyardError('INTERNAL', `plugin "${plugin}": ${why}`, { cause: err });
}

/** Idle instances of one middleware's guest; an instance that failed is dropped, never reused. */
export class GuestPool {
  private readonly idle: GuestInstance[] = [];
  readonly features = { value: 0 };

  constructor(
    private readonly guest: CompiledGuest,
    private readonly config: Buffer,
    private readonly logger: Logger,
  ) {}

  /** An idle instance, or a new one. */
  acquire(): GuestInstance {
    return this.idle.pop() ?? GuestInstance.create(this.guest, this.config, this.logger, this.features);
  }

  release(instance: GuestInstance): void {
    if (this.idle.length < POOL_SIZE) this.idle.push(instance);
  }
}
