import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { encodeFlatKeys } from '../config/codec/index.js';
import { errorMessage, SwitchyardError } from '../core/errors.js';
import { formatOf, parseFile } from '../providers/file/parse-file.js';
import { trimDir } from '../providers/kv/index.js';
import { parseKvArgs, required, storeFromFlags } from './kv-args.js';

export const USAGE = `Usage:
  switchyard kv put   --store etcd|redis|zookeeper --endpoints host:port[,…] --prefix DIR --file dynamic.yml
  switchyard kv alias --store etcd|redis|zookeeper --endpoints host:port[,…] --key KEY --value DIR
  switchyard kv get   --store etcd|redis|zookeeper --endpoints host:port[,…] --key KEY

put     replaces everything under DIR with the file's configuration (YAML, TOML or JSON), as flat keys:
        a v3 file gives v3 keys (DIR/http/routers/…), a v1 file (frontends/backends) gives v1 keys.
alias   sets KEY to DIR: every instance whose aliasKey is KEY switches to DIR in one step.
Options: --username, --password, --db (redis).
`;

/**
 * `switchyard kv`: publishes a dynamic configuration into a KV store and flips an alias, so a new
 * configuration is written completely (put) before any instance uses it (alias). Returns the exit code.
 *
 * @example await runKv(['put', '--store', 'etcd', '--prefix', '/traefik/dev/v2', '--file', 'dyn.yml'], process.stdout)
 */
export async function runKv(args: string[], out: Writable): Promise<number> {
  const { words, flags } = parseKvArgs(args);
  const command = words[0];
  if (!command || flags.has('help') || !['put', 'alias', 'get'].includes(command)) {
    out.write(USAGE);
    return command && !flags.has('help') ? 2 : 0;
  }
  let writer: ReturnType<ReturnType<typeof storeFromFlags>['writer']> | undefined;
  try {
    const store = storeFromFlags(flags);
    if (command === 'put') {
      const prefix = trimDir(required(flags, 'prefix'));
      const pairs = encodeFlatKeys(await readConfig(required(flags, 'file')), { separator: '/', prefix });
      writer = store.writer();
      await writer.replaceDir(prefix, pairs);
      out.write(`wrote ${pairs.length} keys under ${prefix} (${store.name} ${store.address})\n`);
    } else if (command === 'alias') {
      const key = required(flags, 'key');
      const value = trimDir(required(flags, 'value'));
      writer = store.writer();
      await writer.put(key, value);
      out.write(`${key} = ${value}\n`);
    } else {
      writer = store.writer();
      const value = await writer.get(required(flags, 'key'));
      if (value === undefined) {
        out.write('(not set)\n');
        return 1;
      }
      out.write(`${value}\n`);
    }
    return 0;
  } catch (err) {
    out.write(`switchyard kv ${command}: ${errorMessage(err)}\n`);
    return 1;
  } finally {
    await writer?.close().catch(() => undefined);
  }
}

async function readConfig(path: string): Promise<unknown> {
  const format = formatOf(path);
  if (!format) {
    throw new SwitchyardError(
      'CONFIG_INVALID',
      `${path}: unsupported extension (use .yml, .yaml, .toml or .json)`,
    );
  }
  const parsed = parseFile(await readFile(path, 'utf8'), format);
  if (!parsed.ok) {
    const at = parsed.failure.position
      ? `:${parsed.failure.position.line}:${parsed.failure.position.column}`
      : '';
    throw new SwitchyardError('CONFIG_PARSE', `${path}${at}: ${parsed.failure.message}`);
  }
  return parsed.file.tree ?? {};
}
