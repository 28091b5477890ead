import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { listErrors, listWarnings } from '../config/runtime/runtime-config.js';
import { formatIssues } from '../config/schema/issues.js';
import { loadStaticConfig } from '../config/static/index.js';
import { errorMessage } from '../core/errors.js';
import { Logger } from '../core/logger.js';
import { builtinExtensions } from '../extensions.js';
import { buildGeneration } from '../graph/build-generation.js';
import { internalServices } from '../internal/services.js';
import { loadPlugins } from '../plugins/load.js';
import { FileProvider } from '../providers/file/index.js';
import { generateDefaultCertificate } from '../tls/index.js';
import { type MergedConfig, Watcher } from '../watcher/index.js';
import { staticGraphInput } from './graph-input.js';
import { staticSemanticErrors, unsupportedStaticKeys } from './static-checks.js';

/** `switchyard check --help`. */
export const USAGE = `Usage: switchyard check [--configFile=FILE] [--key.path=value …]

Validates the static configuration (file, SWITCHYARD_*/TRAEFIK_* variables and flags, merged as for a
run) and the dynamic configuration the file provider reads, without listening or starting providers.
Prints every problem with where it is written, and a warning for each option that has no effect yet
and each element that runs but likely not as meant (a v2 placeholder in a v3 rule …).
Exit codes: 0 valid, 2 invalid.`;

/**
 * `switchyard check`: validates the static configuration and the dynamic configuration its providers
 * give (file provider, read once), without listening. Prints every error; returns the exit code
 * (0 valid, 2 invalid).
 */
export async function runCheck(argv: string[], out: Writable): Promise<number> {
  const loaded = loadStaticConfig({ argv, env: process.env, cwd: process.cwd() });
  const errors: string[] = [];
  if (loaded.issues.length > 0) errors.push(...formatIssues(loaded.issues).split('\n'));
  const config = loaded.config;
  errors.push(...staticSemanticErrors(config));
  const extensions = builtinExtensions();
  await loadPlugins(
    config.experimental,
    process.cwd(),
    extensions.middlewares,
    loaded.configFile ? dirname(loaded.configFile) : process.cwd(),
    extensions.providers,
  ).catch((err: unknown) => errors.push(errorMessage(err)));
  const warnings = unsupportedStaticKeys(config).map(
    (k) => `${k}: accepted but not supported yet; it has no effect`,
  );
  const stray = loaded.command ?? loaded.positionals[0];
  if (stray !== undefined) errors.push(`unexpected argument "${stray}"`);
  const quiet = Logger.create({ level: 'PANIC' });
  const file = config.providers.file;
  let routers = '0 routers';
  if (file && (file.filename || file.directory)) {
    const provider = new FileProvider({
      filename: file.filename,
      directory: file.directory,
      watch: false,
      logger: quiet,
    });
    const done = new AbortController();
    const merged = await new Promise<MergedConfig | undefined>((resolve) => {
      const watcher = new Watcher({
        providers: [provider],
        throttleMs: 0,
        logger: quiet,
        onConfig: resolve,
        extensions,
      });
      watcher.start(done.signal).then(
        () => resolve(undefined),
        () => resolve(undefined),
      );
      // The provider reads its files once (watch: false) and emits; a guard for a source that never answers.
      setTimeout(() => resolve(undefined), 10_000).unref();
    });
    done.abort();
    if (merged) {
      const generation = buildGeneration({
        config: merged.config,
        elementIssues: merged.issues,
        ...staticGraphInput(config),
        internalRoutes: [],
        internalServices: internalServices(config),
        generatedCertificate: await generateDefaultCertificate(),
        logger: quiet,
        generation: 0,
        signal: done.signal,
        extensions,
      });
      for (const [provider, issues] of Object.entries(merged.providerIssues)) {
        for (const i of issues) errors.push(`${i.source ?? provider}: ${i.message}`);
      }
      errors.push(...withSources(listErrors(generation.runtime), merged.issues));
      warnings.push(...withSources(listWarnings(generation.runtime), merged.issues));
      for (const issue of generation.tls?.generation.issues ?? []) {
        (issue.level === 'error' ? errors : warnings).push(`${issue.source}: ${issue.message}`);
      }
      const { runtime } = generation;
      const count = (map: object | undefined) => Object.keys(map ?? {}).length;
      routers = `${count(runtime.routers)} routers, ${count(runtime.tcp?.routers)} tcp routers, ${count(runtime.udp?.routers)} udp routers`;
    }
  }
  for (const w of warnings) out.write(`warning: ${w}\n`);
  if (errors.length > 0) {
    out.write(`configuration is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}):\n`);
    for (const e of errors) out.write(`  ${e}\n`);
    return 2;
  }
  const source = loaded.configFile ? ` (${loaded.configFile})` : '';
  out.write(
    `configuration is valid${source}: ${Object.keys(config.entryPoints).length} entrypoints, ${routers}\n`,
  );
  return 0;
}

/**
 * Appends where a validation problem is written (`(dyn.yml:19:7)`) to the line of its element:
 * `udp router dns@file: unknown key "rule" (dyn.yml:19:7)`.
 */
function withSources(lines: string[], issues: MergedConfig['issues']): string[] {
  const located = issues.filter((i) => i.source && i.element);
  if (located.length === 0) return lines;
  return lines.map((line) => {
    const issue = located.find((i) => {
      const name = i.element!.slice(i.element!.indexOf('.', i.element!.indexOf('.') + 1) + 1);
      return line.endsWith(`: ${i.message}`) && line.includes(` ${name}: `);
    });
    return issue ? `${line} (${issue.source})` : line;
  });
}
