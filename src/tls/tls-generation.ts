import { errorMessage } from '../core/errors.js';
import type { ClientHelloInfo } from './client-hello.js';
import { type CertificateSource, type CertPair, isInlinePem } from './load.js';
import { type ResolvedTlsOptions, resolveTlsOptions, type TlsOptionsConfig } from './options.js';
import type { SniOptionsTable } from './sni-options.js';
import {
  type CertificateConfig,
  type CertificateInfo,
  createCertificateStore,
  type LoadedCertificateSet,
  loadCertificateSet,
} from './store.js';
import type { TlsChoice, TlsRouting } from './terminator.js';

/** The dynamic configuration's `tls` section, as plain data. */
export interface TlsSection {
  certificates: CertificateConfig[];
  options: Record<string, TlsOptionsConfig>;
  stores: Record<string, { defaultCertificate?: CertificateSource } | undefined>;
}

/** A problem found while building the TLS side of a generation, with where it is in the configuration. */
export interface TlsIssue {
  source: string;
  message: string;
  level: 'error' | 'warning';
}

/** The options set every connection uses unless a router's host asks for another. */
export const DEFAULT_TLS_OPTIONS = 'default';

/**
 * The TLS side of one configuration generation: certificates read once, every options set resolved on
 * first use with its own certificate contexts (OpenSSL takes client CAs from the certificate's context),
 * and per-entrypoint routings built from the routers' hosts (`routing`).
 *
 * @example
 *   const tls = TlsGeneration.build(config.tls, generatedDefault);
 *   const table = new SniOptionsTable();
 *   table.set('api.example.com', 'modern@file');
 *   const routing = tls.routing(table); // → new TlsTerminator(routing, onSecure, logger)
 */
export class TlsGeneration {
  readonly issues: TlsIssue[] = [];
  /** What is served, for the API and metrics: certificates, then the default in use. */
  readonly certificates: readonly CertificateInfo[];
  /** Certificate, key and CA files (not inline PEM) the generation read: watch them to reload. */
  readonly files: readonly string[];
  private readonly choices = new Map<string, TlsChoice | { error: string }>();
  private readonly resolved = new Map<string, ResolvedTlsOptions | { error: string }>();

  private constructor(
    private readonly section: TlsSection,
    private readonly loaded: LoadedCertificateSet,
  ) {
    // Every named set is checked, used or not, so that `check` and the log report its errors at once.
    for (const [name, config] of Object.entries(section.options)) {
      if (name === DEFAULT_TLS_OPTIONS) continue;
      try {
        const options = resolveTlsOptions(config, { name });
        for (const w of options.warnings)
          this.issues.push({ source: `tls.options.${name}`, message: w, level: 'warning' });
        this.resolved.set(name, options);
      } catch (err) {
        this.resolved.set(name, { error: errorMessage(err) });
        this.issues.push({ source: 'tls', message: errorMessage(err), level: 'error' });
      }
    }
    const choice = this.resolveDefault();
    this.certificates = choice.store.certificates();
    this.files = filesOf(section);
  }

  /** Reads the certificates (a broken one is reported and left out) and resolves the default options. */
  static build(section: TlsSection, generatedDefault: CertPair): TlsGeneration {
    const { set, errors } = loadCertificateSet({
      certificates: section.certificates,
      defaultCertificate: section.stores.default?.defaultCertificate,
      generatedDefault,
    });
    const generation = new TlsGeneration(section, set);
    generation.issues.unshift(...errors.map((e) => certificateIssue(e.index, e.error, e.level)));
    return generation;
  }

  /** The default options set; never broken (invalid `tls.options.default` is reported, defaults apply). */
  get defaultChoice(): TlsChoice {
    return this.choices.get(DEFAULT_TLS_OPTIONS) as TlsChoice;
  }

  /**
   * The options set named `name` (qualified, or `default`), resolved once per generation; `error` when it
   * does not exist or is invalid (routers asking for it are then in error and their hosts refused).
   */
  options(name: string): TlsChoice | { error: string } {
    const cached = this.choices.get(name);
    if (cached) return cached;
    const options = this.resolved.get(name);
    let result: TlsChoice | { error: string };
    if (!options) result = { error: `unknown TLS options: ${name}` };
    else if ('error' in options) result = options;
    else {
      const { store } = createCertificateStore(this.loaded, options.contextOptions);
      result = { optionsName: name, options, store };
    }
    this.choices.set(name, result);
    return result;
  }

  /**
   * A routing for one entrypoint: no SNI or a name `table` does not know → `default`; otherwise the options
   * set the table names, or `undefined` (connection closed) when that set is broken.
   */
  routing(table: SniOptionsTable): TlsRouting {
    const fallback = this.defaultChoice;
    if (table.size === 0) return { choose: () => fallback };
    return {
      choose: (hello: ClientHelloInfo | undefined) => {
        const name = hello?.serverName ? table.lookup(hello.serverName) : undefined;
        if (name === undefined || name === DEFAULT_TLS_OPTIONS) return fallback;
        const choice = this.options(name);
        return 'error' in choice ? undefined : choice;
      },
    };
  }

  private resolveDefault(): TlsChoice {
    let options: ReturnType<typeof resolveTlsOptions>;
    try {
      options = resolveTlsOptions(this.section.options[DEFAULT_TLS_OPTIONS], { name: DEFAULT_TLS_OPTIONS });
    } catch (err) {
      this.issues.push({ source: 'tls', message: errorMessage(err), level: 'error' });
      options = resolveTlsOptions({}, { name: DEFAULT_TLS_OPTIONS });
    }
    for (const w of options.warnings)
      this.issues.push({ source: 'tls.options.default', message: w, level: 'warning' });
    const built = createCertificateStore(this.loaded, options.contextOptions);
    for (const e of built.errors) this.issues.push(certificateIssue(e.index, e.error, e.level));
    const choice: TlsChoice = { optionsName: DEFAULT_TLS_OPTIONS, options, store: built.store };
    this.choices.set(DEFAULT_TLS_OPTIONS, choice);
    return choice;
  }
}

function certificateIssue(index: number, message: string, level: 'error' | 'warning'): TlsIssue {
  const source = index === -1 ? 'tls.stores.default.defaultCertificate' : `tls.certificates[${index}]`;
  return { source, message, level };
}

function filesOf(section: TlsSection): string[] {
  const files = new Set<string>();
  const add = (value: string | undefined) => {
    if (value && !isInlinePem(value) && value.trim() !== '') files.add(value);
  };
  for (const c of section.certificates) {
    add(c.certFile);
    add(c.keyFile);
  }
  const fallback = section.stores.default?.defaultCertificate;
  add(fallback?.certFile);
  add(fallback?.keyFile);
  for (const o of Object.values(section.options)) for (const ca of o.clientAuth?.caFiles ?? []) add(ca);
  return [...files];
}
