// Which interpreter runs a PyTorch script: the setting, the Python extension's selection, python3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PYTHON_COMMAND, interpreterFromPythonApi, resolvePython } from '../../src/extension/python-interpreter';
import { readSettings } from '../../src/extension/settings';
import { defaultPythonCommand } from '../../src/core/python-command';

const never = (): Promise<string | undefined> => Promise.reject(new Error('the Python extension must not be asked'));

test('the setting wins (trimmed) and the Python extension is not asked', async () => {
  assert.deepEqual(await resolvePython('  /opt/venv/bin/python  ', never), { command: '/opt/venv/bin/python', source: 'setting' });
});

test("a blank setting falls to the Python extension's selection, then to python3", async () => {
  assert.deepEqual(await resolvePython('', async () => '/ws/.venv/bin/python'), { command: '/ws/.venv/bin/python', source: 'python-extension' });
  assert.deepEqual(await resolvePython(' ', async () => undefined), { command: DEFAULT_PYTHON_COMMAND, source: 'default' });
  assert.deepEqual(await resolvePython('', async () => '   '), { command: 'python3', source: 'default' });
  assert.deepEqual(await resolvePython('', never), { command: 'python3', source: 'default' }, 'a failing extension is not fatal');
});

test("the Python extension's API: the active environment path for the resource, else a single-word execCommand", async () => {
  const resource = { fsPath: '/ws/train.py' };
  let asked: unknown;
  const current = {
    environments: {
      getActiveEnvironmentPath(r: unknown) {
        asked = r;
        return { id: 'x', path: '/ws/.venv/bin/python' };
      },
    },
  };
  assert.equal(await interpreterFromPythonApi(current, resource), '/ws/.venv/bin/python');
  assert.equal(asked, resource, 'asked for the script, so per-folder interpreters apply');

  const older = { settings: { getExecutionDetails: () => ({ execCommand: ['/usr/bin/python3.11'] }) } };
  assert.equal(await interpreterFromPythonApi(older, resource), '/usr/bin/python3.11');
  const asyncPath = { environments: { getActiveEnvironmentPath: async () => ({ path: '/c/envs/t/bin/python' }) } };
  assert.equal(await interpreterFromPythonApi(asyncPath, resource), '/c/envs/t/bin/python');
});

test('an absent, odd or throwing Python extension API gives no interpreter (never throws)', async () => {
  const cases: unknown[] = [
    undefined,
    null,
    42,
    {},
    { environments: {} },
    { environments: { getActiveEnvironmentPath: 'not a function' } },
    { environments: { getActiveEnvironmentPath: () => ({ path: '' }) } },
    { environments: { getActiveEnvironmentPath: () => { throw new Error('not ready'); } } },
    { environments: { getActiveEnvironmentPath: () => Promise.reject(new Error('not ready')) } },
    { settings: { getExecutionDetails: () => ({ execCommand: ['conda', 'run', '-n', 'torch', 'python'] }) } },
    { settings: { getExecutionDetails: () => ({ execCommand: undefined }) } },
  ];
  for (const api of cases) assert.equal(await interpreterFromPythonApi(api, undefined), undefined, JSON.stringify(api) ?? String(api));
});

test('lrScope.python.launcher is read as a trimmed string, empty by default', () => {
  assert.equal(readSettings(() => undefined).pythonLauncher, '');
  assert.equal(readSettings((k) => (k === 'python.launcher' ? ' torchrun --nproc-per-node 2 ' : undefined)).pythonLauncher, 'torchrun --nproc-per-node 2');
  assert.equal(readSettings((k) => (k === 'python.launcher' ? ['torchrun'] : undefined)).pythonLauncher, '');
});

test('lrScope.pythonPath is read as a trimmed string, empty by default', () => {
  assert.equal(readSettings(() => undefined).pythonPath, '');
  assert.equal(readSettings((k) => (k === 'pythonPath' ? ' /usr/bin/python3 ' : undefined)).pythonPath, '/usr/bin/python3');
  assert.equal(readSettings((k) => (k === 'pythonPath' ? 3 : undefined)).pythonPath, '');
});

test('the default command: python3 on Linux and macOS, python on Windows (no python3 there but the Store alias)', () => {
  assert.equal(defaultPythonCommand('linux'), 'python3');
  assert.equal(defaultPythonCommand('darwin'), 'python3');
  assert.equal(defaultPythonCommand('win32'), 'python');
});
