import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { loadStaticConfig, type StaticConfig } from '../config/static/index.js';
import { errorMessage } from '../core/errors.js';
import { type LogLevel, rootLogger } from '../core/logger.js';
import { releaseYoungGeneration } from '../core/young-generation.js';
import { builtinExtensions } from '../extensions.js';
import { loadPlugins } from '../plugins/load.js';
import { failureMessage, reportFatal } from './fatal-report.js';
import { parentChannel } from './parent-channel.js';
import { staticSemanticErrors, unsupportedStaticKeys } from './static-checks.js';
import { version } from './version.js';

const USAGE = `Usage:
  switchyard [--configFile=FILE] [--key.path=value …]   run the proxy
  switchyard check [--configFile=FILE] [flags…]          validate static and dynamic configuration
  switchyard healthcheck [flags…]                        ask the running instance for /ping (exit 0 healthy)
  switchyard kv put|alias|get --store=etcd|redis|zookeeper …  publish configuration to a KV store
  switchyard migrate FILE [--format=yaml|toml] [--out-dir=DIR]  convert a Traefik v1 file to v3
  switchyard whoami --port=N [--name=X]                  run an echo backend
  switchyard version                                     print the version (also --version, -v)
  switchyard help [COMMAND]                              this text, or a command's (also COMMAND --help)
Static configuration keys are Traefik's (file, --flags, SWITCHYARD_* or TRAEFIK_* variables, merged).
Exit codes: 0 ok, 1 runtime failure (a port in use …), 2 invalid configuration or usage.`;

const VERSION_USAGE = `Usage: switchyard version (or switchyard --version, switchyard -v)

Prints the version of Switchyard.`;

/**
 * The subcommands: each one's help text is its own module's `USAGE`, shown by `--help`, `-h` or `help X`.
 * Modules load when their command runs: `healthcheck` (a container's HEALTHCHECK, every few seconds) and
 * `version` start without loading the proxy.
 */
const COMMANDS: Record<string, { usage(): Promise<string>; run(args: string[]): Promise<void> }> = {
  check: {
    usage: async () => (await import('./check.js')).USAGE,
    run: async (args) => {
      const { runCheck } = await import('./check.js');
      process.exitCode = await runCheck(args, process.stdout);
    },
  },
  healthcheck: {
    usage: async () => (await import('./healthcheck.js')).USAGE,
    run: async (args) => {
      const { runHealthcheck } = await import('./healthcheck.js');
      process.exitCode = await runHealthcheck(args, process.stdout);
    },
  },
  kv: {
    usage: async () => (await import('./kv.js')).USAGE,
    run: async (args) => {
      const { runKv } = await import('./kv.js');
      process.exitCode = await runKv(args, process.stdout);
    },
  },
  migrate: {
    usage: async () => (await import('./migrate.js')).MIGRATE_HELP,
    run: async (args) => {
      const { runMigrate } = await import('./migrate.js');
      process.exitCode = await runMigrate(args, process.stdout);
    },
  },
  whoami: {
    usage: async () => (await import('./whoami.js')).USAGE,
    run: async (args) => {
      const { runWhoamiCommand } = await import('./whoami.js');
      rootLogger.configure({ level: 'INFO' });
      const started = await runWhoamiCommand(args, rootLogger);
      if (typeof started === 'number') process.exitCode = started;
    },
  },
  version: {
    usage: async () => VERSION_USAGE,
    run: async () => {
      process.stdout.write(`switchyard ${version()}\n`);
    },
  },
};

const ALIASES: Record<string, string> = {
  '--version': 'version',
  '-v': 'version',
  '--help': 'help',
  '-h': 'help',
};

const wantsHelp = (args: readonly string[]) => args.some((a) => a === '--help' || a === '-h');

/** Exit codes: 0 ok, 1 runtime failure, 2 invalid configuration or usage. */
export async function main(argv: string[]): Promise<void> {
  ignoreClosedPipes();
  const [first, ...rest] = argv;
  const name = first === undefined ? undefined : (ALIASES[first] ?? first);
  try {
    if (name === 'help') {
      const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
      if (rest[0] !== undefined && !topic) {
        process.stderr.write(`switchyard: unknown command "${rest[0]}"\n${USAGE}\n`);
        process.exitCode = 2;
        return;
      }
      process.stdout.write(`${topic ? await topic.usage() : USAGE}\n`);
      return;
    }
    const command = name === undefined ? undefined : COMMANDS[name];
    if (command) {
      releaseYoungGeneration();
      if (wantsHelp(rest)) process.stdout.write(`${await command.usage()}\n`);
      else await command.run(rest);
      return;
    }
    if (wantsHelp(argv)) {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    await run(argv);
  } catch (err) {
    process.stderr.write(`switchyard: ${failureMessage(err)}\n`);
    process.exitCode = 1;
  }
}

/**
 * `switchyard check | head` closes the pipe early: writing on then fails with EPIPE, which would crash
 * with a stack trace. What is left to print is dropped instead; the command finishes with its exit code.
 */
function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
      throw err;
    });
  }
}

async function run(argv: string[]): Promise<void> {
  const loaded = loadStaticConfig({ argv, env: process.env, cwd: process.cwd() });
  const stray = loaded.command ?? loaded.positionals[0];
  if (stray !== undefined) {
    process.stderr.write(`switchyard: unknown command "${stray}"\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  // Read even from a configuration with errors, so that those errors follow `log.format` too.
  const format = (loaded.config as Partial<StaticConfig>).log?.format;
  if (loaded.issues.length > 0) {
    reportFatal(format, 'invalid static configuration', loaded.issues);
    process.exitCode = 2;
    return;
  }
  const config: StaticConfig = loaded.config;
  const semantic = staticSemanticErrors(config);
  if (semantic.length > 0) {
    reportFatal(format, 'invalid static configuration', semantic);
    process.exitCode = 2;
    return;
  }
  const extensions = builtinExtensions();
  const plugins = await loadPlugins(
    config.experimental,
    process.cwd(),
    extensions.middlewares,
    loaded.configFile ? dirname(loaded.configFile) : process.cwd(),
    extensions.providers,
  );
  rootLogger.configure({
    level: config.log.level as LogLevel,
    format: config.log.format,
    filePath: config.log.filePath,
  });
  if (cluster.isWorker) {
    // Same arguments and environment as the primary, so the same static configuration.
    const { runWorker } = await import('../workers/worker.js');
    await runWorker(config, rootLogger.child({ worker: cluster.worker?.id, pid: process.pid }), extensions);
    releaseYoungGeneration();
    return;
  }
  const logger = rootLogger;
  const notices = loaded.notices ?? [];
  for (const [i, notice] of notices.entries()) {
    if (i === 0) logger.info(notice);
    else logger.warn(notice);
  }
  if (loaded.configFile) logger.info('static configuration loaded', { file: loaded.configFile });
  for (const p of plugins) {
    logger.info('plugin loaded', { plugin: p.name, displayName: p.displayName, runtime: p.runtime });
  }
  for (const key of unsupportedStaticKeys(config)) {
    logger.warn('static option accepted but not supported yet; it has no effect', { option: key });
  }
  const parent = parentChannel();
  const workers = config.workers ?? availableParallelism();
  const { Instance } = await import('./instance.js');
  const starting =
    workers > 1
      ? import('../workers/primary.js').then(({ WorkerPool }) =>
          WorkerPool.start(config, logger, workers, parent, extensions),
        )
      : Instance.start(config, logger, { ...parent?.extras, extensions });
  let instance: Awaited<typeof starting>;
  try {
    instance = await starting;
  } catch (err) {
    if (format !== 'json') throw err;
    reportFatal(format, 'cannot start', [failureMessage(err)]);
    process.exitCode = 1;
    return;
  }
  // Started: from here the young generation may grow with the load (src/core/young-generation.ts).
  releaseYoungGeneration();
  parent?.listening(instance.addresses);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('signal received', { signal });
    instance.shutdown().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err) => {
        logger.error('shutdown failed', { error: errorMessage(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGUSR1', () => {
    if ('reopenLogs' in instance) instance.reopenLogs();
    else void instance.accessLog?.reopen();
  });
  process.on('SIGHUP', () => {
    logger.info('signal received', { signal: 'SIGHUP' });
    instance.reload();
  });
  process.on('uncaughtException', (err) =>
    logger.error('uncaught exception', { error: err.message, stack: err.stack }),
  );
  process.on('unhandledRejection', (err) =>
    logger.error('unhandled rejection', { error: errorMessage(err) }),
  );
}
