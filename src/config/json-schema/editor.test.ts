import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';

// The real YAML language server (what VS Code's, Neovim's and Helix's YAML support run), reading the
// `# yaml-language-server: $schema=…` modeline of documents that sit beside the quick start.
const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, here.includes(join('dist', 'src')) ? '../../../..' : '../../..');
const SERVER = createRequire(import.meta.url).resolve('yaml-language-server/bin/yaml-language-server');

interface Diagnostic {
  message: string;
  range: { start: { line: number } };
}

describe('editor support through the yaml-language-server modeline', () => {
  let proc: ChildProcess;
  let conn: MessageConnection;
  const diagnostics = new Map<string, (d: Diagnostic[]) => void>();
  let version = 0;

  before(async () => {
    proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    conn = createMessageConnection(
      new StreamMessageReader(proc.stdout!),
      new StreamMessageWriter(proc.stdin!),
    );
    conn.onNotification(
      'textDocument/publishDiagnostics',
      (p: { uri: string; diagnostics: Diagnostic[] }) => {
        diagnostics.get(p.uri)?.(p.diagnostics);
      },
    );
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) =>
      p.items.map(() => ({ validate: true, completion: true, hover: true })),
    );
    conn.listen();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(ROOT).href,
      capabilities: { workspace: { configuration: true } },
    });
    await conn.sendNotification('initialized', {});
  });

  after(() => {
    conn?.dispose();
    if (proc && proc.exitCode === null) proc.kill();
  });

  /** Opens a document beside examples/quickstart.yml and resolves with its first non-empty diagnostics. */
  function open(name: string, text: string, expectProblems: boolean): Promise<Diagnostic[]> {
    const uri = pathToFileURL(join(ROOT, 'examples', name)).href;
    return new Promise((resolveDiagnostics) => {
      diagnostics.set(uri, (d) => {
        if (d.length > 0 === expectProblems) resolveDiagnostics(d);
      });
      void conn.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'yaml', version: ++version, text },
      });
    });
  }

  it('reports a misspelt key and a bad value of a static configuration', { timeout: 60_000 }, async () => {
    const text = [
      '# yaml-language-server: $schema=../schemas/static.json',
      'entryPoints:',
      '  web:',
      '    adress: ":80"',
      'log:',
      '  level: LOUD',
      '',
    ].join('\n');
    const found = await open('editor-static.yml', text, true);
    const lines = found.map((d) => d.range.start.line);
    assert.ok(lines.includes(3), `the misspelt key is flagged: ${JSON.stringify(found)}`);
    assert.ok(lines.includes(5), `the bad log level is flagged: ${JSON.stringify(found)}`);
  });

  it('completes the options of a dynamic configuration element', { timeout: 60_000 }, async () => {
    const text = [
      '# yaml-language-server: $schema=../../schemas/dynamic.json',
      'http:',
      '  routers:',
      '    app:',
      '      rule: Host(`a`)',
      '      ',
      '',
    ].join('\n');
    const uri = pathToFileURL(join(ROOT, 'examples', 'quickstart', 'editor-dynamic.yml')).href;
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: ++version, text },
    });
    const result = (await conn.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: { line: 5, character: 6 },
    })) as { items: { label: string }[] };
    const labels = result.items.map((i) => i.label);
    for (const key of ['service', 'entryPoints', 'middlewares', 'priority', 'tls']) {
      assert.ok(labels.includes(key), `${key} is offered: ${labels.join(', ')}`);
    }
  });

  it('has nothing to say about the quick start as shipped', { timeout: 60_000 }, async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(join(ROOT, 'examples', 'quickstart.yml'), 'utf8');
    // A misspelling is appended, then the document is compared with the shipped one: only it is flagged.
    const found = await open('editor-quickstart.yml', `${text}pingg: {}\n`, true);
    assert.deepEqual(
      found.map((d) => d.range.start.line),
      [text.split('\n').length - 1],
      JSON.stringify(found),
    );
  });
});
