// Activation against a stand-in `vscode` module: every command package.json contributes is
// registered (and nothing else), the context keys start false, and nothing heavy is loaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  extensionKind: string[];
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
  contributes: {
    commands: Array<{ command: string; title: string; category: string; enablement?: string }>;
    configuration: { properties: Record<string, { scope?: string; markdownDescription?: string; type: unknown }> };
    menus: Record<string, Array<{ command: string; when?: string }>>;
  };
};

/** A `vscode` stand-in: any member is a callable that returns the stand-in, plus what the test records. */
function fakeVscode() {
  const registered: string[] = [];
  const contextKeys = new Map<string, unknown>();
  const any: object = new Proxy(function () {}, {
    get: (_t, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '' : any),
    set: () => true,
    apply: () => any,
    construct: () => any,
  });
  class EventEmitter {
    private listeners: Array<() => void> = [];
    event = (l: () => void) => {
      this.listeners.push(l);
      return { dispose() {} };
    };
    fire() {
      for (const l of this.listeners) l();
    }
    dispose() {}
  }
  const uri = (p: string) => ({ fsPath: p, path: p, scheme: 'file', toString: () => `file://${p}` });
  const stub = {
    ...Object.fromEntries(
      ['window', 'env', 'languages', 'ViewColumn', 'ProgressLocation', 'StatusBarAlignment', 'ThemeIcon', 'TreeItem', 'RelativePattern', 'Selection', 'Range', 'TextEditorRevealType', 'CodeActionKind'].map((k) => [k, any]),
    ),
    EventEmitter,
      Uri: { file: uri, joinPath: (base: { fsPath: string }, ...parts: string[]) => uri(join(base.fsPath, ...parts)) },
      commands: {
        registerCommand: (id: string) => {
          registered.push(id);
          return { dispose() {} };
        },
        executeCommand: async (id: string, key: string, value: unknown) => {
          if (id === 'setContext') contextKeys.set(key, value);
        },
      },
      workspace: {
        workspaceFolders: undefined,
        isTrusted: true,
        getConfiguration: () => ({ get: () => undefined }),
        createFileSystemWatcher: () => any,
        onDidChangeWorkspaceFolders: () => ({ dispose() {} }),
        onDidChangeConfiguration: () => ({ dispose() {} }),
      },
  };
  return { stub, registered, contextKeys };
}

test('activation registers exactly the contributed commands and sets the context keys', async () => {
  const fake = fakeVscode();
  const original = (Module as unknown as { _load: (...a: unknown[]) => unknown })._load;
  const loaded: string[] = [];
  (Module as unknown as { _load: (...a: unknown[]) => unknown })._load = function (request: unknown, ...rest: unknown[]) {
    loaded.push(String(request));
    if (request === 'vscode') return fake.stub;
    return original.call(this, request, ...rest);
  };
  try {
    const main = require('../../src/extension/main') as typeof import('../../src/extension/main');
    const memento = new Map<string, unknown>();
    const context = {
      subscriptions: [] as Array<{ dispose(): void }>,
      extensionUri: { fsPath: root, path: root, scheme: 'file' },
      extension: { packageJSON: pkg },
      asAbsolutePath: (p: string) => join(root, p),
      globalStorageUri: { fsPath: '/tmp/lrscope-activation-test' },
      workspaceState: { get: (k: string) => memento.get(k), update: async (k: string, v: unknown) => void memento.set(k, v) },
    };
    main.activate(context as never);
    const contributed = pkg.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual([...fake.registered].sort(), contributed);
    assert.equal(fake.contextKeys.get('lrScope.running'), false);
    assert.equal(fake.contextKeys.get('lrScope.watchingLog'), false);
    assert.ok(!loaded.some((m) => m.includes('@tensorflow')), 'the extension host never loads tfjs');
    assert.ok(!loaded.includes('typescript'), 'the code generator loads on first use, not on activation');
    assert.ok(!loaded.includes('vscode-jsonrpc/node') && !loaded.includes('vscode-jsonrpc'), 'the engine connection loads with the first run, not on activation');
    assert.deepEqual(
      loaded.filter((m) => /(^|\/)(core\/logs(\/index)?|external-logs|sweep-command|new-experiment|types-apply|flavors\/code)$/.test(m)),
      [],
      'the log readers, the sweep, New Experiment and the flavors\' emitters load on first use (their own bundles), not on activation',
    );
    await main.deactivate();
    for (const d of context.subscriptions) d.dispose();
  } finally {
    (Module as unknown as { _load: unknown })._load = original;
  }
});

test('package.json: commands, settings, activation, trust and engines as issue 4 asks', () => {
  for (const c of pkg.contributes.commands) assert.equal(c.category, 'LR Scope', c.command);
  const stop = pkg.contributes.commands.find((c) => c.command === 'lrScope.stopRun');
  assert.equal(stop?.enablement, 'lrScope.running');
  const props = pkg.contributes.configuration.properties;
  for (const key of [
    'lrScope.nodePath',
    'lrScope.pythonPath',
    'lrScope.python.launcher',
    'lrScope.backend',
    'lrScope.rangeTest.startLr',
    'lrScope.rangeTest.endLr',
    'lrScope.rangeTest.steps',
    'lrScope.rangeTest.divergeFactor',
    'lrScope.defaultFramework',
    'lrScope.oneCycleFlavor',
    'lrScope.runsFolder',
    'lrScope.codeLens.enabled',
  ]) {
    assert.ok(props[key], key);
    assert.ok(props[key]!.markdownDescription, `${key} has a markdownDescription`);
    assert.ok(props[key]!.scope, `${key} has a scope`);
  }
  assert.equal(props['lrScope.nodePath']!.scope, 'machine-overridable');
  assert.equal(props['lrScope.pythonPath']!.scope, 'machine-overridable');
  assert.equal(props['lrScope.python.launcher']!.scope, 'machine-overridable', 'a remote host has its own launcher');
  assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ['lrScope.nodePath', 'lrScope.pythonPath', 'lrScope.python.launcher']);
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.deepEqual(pkg.extensionKind, ['workspace']);
  assert.ok(pkg.activationEvents.includes('onWebviewPanel:lrScope.results'));
  for (const lang of ['python', 'typescript', 'javascript']) assert.ok(pkg.activationEvents.includes(`onLanguage:${lang}`));
  assert.ok(!pkg.activationEvents.includes('*'), 'no eager activation');
  assert.equal(pkg.main, './dist/extension.js');
  assert.match(pkg.engines.vscode, /^\^1\.(9\d|100)\./, 'accepts VS Code 1.100');
  const menuCommands = Object.values(pkg.contributes.menus).flat().map((m) => m.command);
  const known = new Set(pkg.contributes.commands.map((c) => c.command));
  for (const m of menuCommands) assert.ok(known.has(m), `menu entry ${m} is a contributed command`);
});
