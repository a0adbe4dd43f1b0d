// The bundled example in Restricted Mode: LR Scope's own backends only, nothing resolved from the workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exampleRunTarget } from '../../src/extension/experiments/bundled-example';

test('trusted: the settings as they are; restricted: wasm (or cpu when asked) and no workspace folders to load tfjs-node from', () => {
  assert.deepEqual(exampleRunTarget(true, 'auto', ['/ext/examples', '/ws']), { backend: 'auto', searchFrom: ['/ext/examples', '/ws'] });
  assert.deepEqual(exampleRunTarget(false, 'auto', ['/ext/examples', '/ws']), { backend: 'wasm', searchFrom: [] });
  assert.deepEqual(exampleRunTarget(false, 'tensorflow', ['/ws']), { backend: 'wasm', searchFrom: [] });
  assert.deepEqual(exampleRunTarget(false, 'cpu', ['/ws']), { backend: 'cpu', searchFrom: [] });
});
