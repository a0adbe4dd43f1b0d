import assert from 'node:assert/strict';
import Module from 'node:module';
import { test } from 'node:test';

type Load = (...a: unknown[]) => unknown;

/** Loads src/extension/trust.ts against a `vscode` stand-in with the given trust state and answer. */
function withTrust(isTrusted: boolean, answer: string | undefined) {
  const warnings: string[] = [];
  const commands: string[] = [];
  const stub = {
    workspace: { isTrusted },
    window: {
      showWarningMessage: async (message: string) => {
        warnings.push(message);
        return answer;
      },
    },
    commands: { executeCommand: async (id: string) => void commands.push(id) },
  };
  const loader = Module as unknown as { _load: Load };
  const original = loader._load;
  loader._load = function (request: unknown, ...rest: unknown[]) {
    return request === 'vscode' ? stub : original.call(this, request, ...rest);
  };
  try {
    const path = require.resolve('../../src/extension/trust');
    delete require.cache[path];
    const { ensureTrusted } = require(path) as typeof import('../../src/extension/trust');
    return { ensureTrusted, warnings, commands };
  } finally {
    loader._load = original;
  }
}

test('a trusted workspace runs experiments without asking', async () => {
  const t = withTrust(true, undefined);
  assert.equal(await t.ensureTrusted('run a range test'), true);
  assert.deepEqual(t.warnings, []);
});

test('Restricted Mode refuses to run, says why, and offers to manage trust', async () => {
  const t = withTrust(false, undefined);
  assert.equal(await t.ensureTrusted('run a range test'), false);
  assert.equal(t.warnings.length, 1);
  assert.match(t.warnings[0]!, /cannot run a range test in Restricted Mode/);
  assert.match(t.warnings[0]!, /executes this workspace's code/);
  assert.match(t.warnings[0]!, /the bundled example \(Run Range Test on Example\) work without trust/);
  assert.deepEqual(t.commands, []);
  const manage = withTrust(false, 'Manage Workspace Trust');
  assert.equal(await manage.ensureTrusted('train'), false);
  assert.deepEqual(manage.commands, ['workbench.trust.manage']);
});
