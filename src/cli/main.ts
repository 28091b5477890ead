import { formatIssues } from '../config/schema/issues.js';
import { loadStaticConfig, type StaticConfig } from '../config/static/index.js';
import { errorMessage } from '../core/errors.js';
import { type LogLevel, rootLogger } from '../core/logger.js';
import { runCheck } from './check.js';
import { Instance } from './instance.js';
import { runKv } from './kv.js';
import { runMigrate } from './migrate.js';
import { staticSemanticErrors, unsupportedStaticKeys } from './static-checks.js';
import { version } from './version.js';
import { runWhoamiCommand } from './whoami.js';

const USAGE = `Usage:
  switchyard [--configFile=FILE] [--key.path=value …]   run the proxy
  switchyard check [--configFile=FILE] [flags…]          validate static and dynamic configuration
  switchyard kv put|alias|get --store=etcd|redis|zookeeper …  publish configuration to a KV store
  switchyard migrate FILE [--format=yaml|toml]           print a Traefik v1 file as v3 configuration
  switchyard whoami --port=N [--name=X]                  run an echo backend
  switchyard version                                     print the version
Static configuration keys are Traefik's (file, --flags, SWITCHYARD_* or TRAEFIK_* variables, merged).`;

/** Exit codes: 0 ok, 1 runtime failure, 2 invalid configuration or usage. */
export async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  try {
    switch (first) {
      case 'version':
      case '--version':
        process.stdout.write(`switchyard ${version()}\n`);
        return;
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return;
      case 'whoami': {
        const flags = parseSimpleFlags(rest);
        const port = Number(flags.port ?? '80');
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          process.stderr.write(`switchyard whoami: invalid --port "${flags.port}"\n`);
          process.exitCode = 2;
          return;
        }
        rootLogger.configure({ level: 'INFO' });
        await runWhoamiCommand({ port, name: flags.name, host: flags.host }, rootLogger);
        return;
      }
      case 'kv':
        process.exitCode = await runKv(rest, process.stdout);
        return;
      case 'migrate':
        process.exitCode = await runMigrate(rest, process.stdout);
        return;
      case 'check':
        process.exitCode = await runCheck(rest, process.stdout);
        return;
      default:
        await run(argv);
    }
  } catch (err) {
    process.stderr.write(`switchyard: ${errorMessage(err)}\n`);
    process.exitCode = 1;
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
  if (loaded.issues.length > 0) {
    process.stderr.write(`switchyard: invalid static configuration:\n${formatIssues(loaded.issues)}\n`);
    process.exitCode = 2;
    return;
  }
  const config: StaticConfig = loaded.config;
  const semantic = staticSemanticErrors(config);
  if (semantic.length > 0) {
    process.stderr.write(`switchyard: invalid static configuration:\n${semantic.join('\n')}\n`);
    process.exitCode = 2;
    return;
  }
  rootLogger.configure({
    level: config.log.level as LogLevel,
    format: config.log.format,
    filePath: config.log.filePath,
  });
  const logger = rootLogger;
  const notices = loaded.notices ?? [];
  for (const [i, notice] of notices.entries()) {
    if (i === 0) logger.info(notice);
    else logger.warn(notice);
  }
  if (loaded.configFile) logger.info('static configuration loaded', { file: loaded.configFile });
  for (const key of unsupportedStaticKeys(config)) {
    logger.warn('static option accepted but not supported yet; it has no effect', { option: key });
  }
  const instance = await Instance.start(config, logger);
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
  process.on('SIGUSR1', () => instance.accessLog?.reopen());
  process.on('uncaughtException', (err) =>
    logger.error('uncaught exception', { error: err.message, stack: err.stack }),
  );
  process.on('unhandledRejection', (err) =>
    logger.error('unhandled rejection', { error: errorMessage(err) }),
  );
}

/** `--port=8080 --name x` → { port: '8080', name: 'x' } for the small subcommands. */
export function parseSimpleFlags(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq !== -1) out[a.slice(2, eq)] = a.slice(eq + 1);
    else if (i + 1 < args.length && !args[i + 1]!.startsWith('--')) out[a.slice(2)] = args[++i]!;
    else out[a.slice(2)] = 'true';
  }
  return out;
}
