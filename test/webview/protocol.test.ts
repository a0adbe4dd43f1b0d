/** The host <-> webview protocol validators and the panel HTML (CSP, nonce, escaping). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isSafeCspSource, makeNonce, panelCsp, renderPanelHtml } from '../../src/extension/panel/html';
import { describeMessage, isHostMessage, isScheduleSpecShape, isWebviewMessage, snapshotFromRecord, type HostMessage, type WebviewMessage } from '../../src/protocol/webview';
import type { RunRecord } from '../../src/core/runs/record';
import { rangeRun, rangeTestPoints, SCHEDULE_DEFAULTS, sweepRuns, trainingRun } from './harness/fixtures';

describe('isHostMessage', () => {
  const valid: HostMessage[] = [
    { type: 'state', state: { view: 'empty', message: 'Run a range test to see its curve.' } },
    { type: 'state', state: { view: 'range-test', run: rangeRun('r', 'r', rangeTestPoints()), schedule: { ...SCHEDULE_DEFAULTS } } },
    { type: 'state', state: { view: 'training', run: trainingRun() } },
    { type: 'state', state: { view: 'compare', runs: sweepRuns() } },
    { type: 'state', state: { view: 'schedule', maxLr: null, schedule: { ...SCHEDULE_DEFAULTS, flavor: 'cyclic', framework: 'json' } } },
    { type: 'points', runId: 'r', points: [{ step: 0, lr: 1e-5, loss: 2.3 }, { step: 1, lr: 2e-5, loss: Infinity }] },
    { type: 'epoch', runId: 'r', epoch: { epoch: 0, loss: 1, valLoss: 1.1, metrics: { acc: 0.5 } } },
    { type: 'status', runId: 'r', status: 'diverged', detail: 'smoothed loss > 4 × best' },
    { type: 'reply', requestId: 'req-1', ok: true, message: 'Inserted OneCycleLR into train.py' },
    { type: 'reply', requestId: 'req-2', ok: true },
    { type: 'reply', requestId: 'req-3', ok: false, message: 'train.py changed since the plan was made' },
  ];
  for (const m of valid) {
    test(`accepts ${m.type}${m.type === 'state' ? `/${m.state.view}` : m.type === 'reply' ? `/${m.requestId}` : ''}`, () => assert.equal(isHostMessage(m), true));
  }

  test('accepts a loss that JSON turned into null (NaN, Infinity)', () => {
    const m = JSON.parse(JSON.stringify({ type: 'points', runId: 'r', points: [{ step: 0, lr: 0.1, loss: NaN }] }));
    assert.equal(m.points[0].loss, null);
    assert.equal(isHostMessage(m), true);
  });

  const invalid: [string, unknown][] = [
    ['null', null],
    ['an array', [{ type: 'state' }]],
    ['an unknown type', { type: 'reload' }],
    ['a state without view', { type: 'state', state: {} }],
    ['an unknown view', { type: 'state', state: { view: 'settings' } }],
    ['a run without points', { type: 'state', state: { view: 'training', run: { ...trainingRun(), points: undefined } } }],
    ['a point with a string lr', { type: 'points', runId: 'r', points: [{ step: 0, lr: '0.1', loss: 1 }] }],
    ['a point with lr ≤ 0', { type: 'points', runId: 'r', points: [{ step: 0, lr: 0, loss: 1 }] }],
    ['a point with a negative step', { type: 'points', runId: 'r', points: [{ step: -1, lr: 0.1, loss: 1 }] }],
    ['points without runId', { type: 'points', points: [] }],
    ['an epoch with a string metric', { type: 'epoch', runId: 'r', epoch: { epoch: 0, loss: 1, metrics: { acc: 'high' } } }],
    ['an unknown status', { type: 'status', runId: 'r', status: 'paused' }],
    ['a notice (replies answer requests now)', { type: 'notice', level: 'info', message: 'x' }],
    ['a reply without a request id', { type: 'reply', ok: true, message: 'x' }],
    ['a reply with an id that is not a token', { type: 'reply', requestId: '<script>', ok: true }],
    ['a failed reply without its message', { type: 'reply', requestId: 'req-1', ok: false }],
    ['a reply whose ok is not a boolean', { type: 'reply', requestId: 'req-1', ok: 'yes', message: 'x' }],
    ['schedule defaults with 0 epochs', { type: 'state', state: { view: 'schedule', maxLr: 0.1, schedule: { ...SCHEDULE_DEFAULTS, epochs: 0 } } }],
    ['an unknown framework', { type: 'state', state: { view: 'schedule', maxLr: 0.1, schedule: { ...SCHEDULE_DEFAULTS, framework: 'jax' } } }],
    ['a run with an unknown schedule policy', { type: 'state', state: { view: 'training', run: { ...trainingRun(), schedule: { policy: 'warmup' } } } }],
  ];
  for (const [what, m] of invalid) test(`rejects ${what}`, () => assert.equal(isHostMessage(m), false));
});

describe('isWebviewMessage', () => {
  const spec = { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.01, totalSteps: 500 } as const;
  const valid: WebviewMessage[] = [
    { type: 'ready' },
    { type: 'stop', runId: 'r' },
    { type: 'insert', requestId: 'req-1', spec, framework: 'pytorch' },
    { type: 'copy', requestId: 'req-2', spec: { policy: 'onecycle', flavor: 'fastai', lrMax: 0.01, totalSteps: 10, moms: [0.95, 0.85, 0.95] }, framework: 'fastai' },
    { type: 'copy', requestId: 'req-3', spec: { policy: 'onecycle', flavor: 'smith', minLr: 0.001, maxLr: 0.01, stepSize: 4, totalSteps: 10, finalLr: 1e-5, momentum: { max: 0.95, min: 0.85 } }, framework: 'json' },
    { type: 'pick', runId: 'r', lr: 0.003 },
    { type: 'pick', runId: 'r', lr: null },
    { type: 'export', requestId: 'req-4', format: 'png', fileName: 'run-chart.png', data: 'data:image/png;base64,iVBORw0KGgo=' },
    { type: 'export', requestId: 'req-5', format: 'csv', fileName: 'run-data.csv', data: 'run,step\n' },
    { type: 'log', level: 'warn', message: 'dropped' },
  ];
  for (const m of valid) test(`accepts ${m.type}`, () => assert.equal(isWebviewMessage(m), true));

  const invalid: [string, unknown][] = [
    ['an unknown type', { type: 'eval', code: '1' }],
    ['insert without a request id', { type: 'insert', spec, framework: 'pytorch' }],
    ['copy with an empty request id', { type: 'copy', requestId: '', spec, framework: 'pytorch' }],
    ['export with a numeric request id', { type: 'export', requestId: 7, format: 'csv', fileName: 'a.csv', data: '' }],
    ['insert with an unknown framework', { type: 'insert', requestId: 'req-1', spec, framework: 'matlab' }],
    ['insert without a spec', { type: 'insert', requestId: 'req-1', framework: 'pytorch' }],
    ['insert with an unknown flavor', { type: 'insert', requestId: 'req-1', spec: { ...spec, flavor: 'keras' }, framework: 'pytorch' }],
    ['insert with a string where a number goes', { type: 'insert', requestId: 'req-1', spec: { ...spec, extra: { a: 'b' } }, framework: 'pytorch' }],
    ['pick with lr ≤ 0', { type: 'pick', runId: 'r', lr: -1 }],
    ['export with a path in the file name', { type: 'export', requestId: 'req-1', format: 'csv', fileName: '../../etc/passwd', data: '' }],
    ['png export that is not a PNG data URL', { type: 'export', requestId: 'req-1', format: 'png', fileName: 'a.png', data: 'data:text/html;base64,PHNjcmlwdD4=' }],
    ['log with level info', { type: 'log', level: 'info', message: 'x' }],
  ];
  for (const [what, m] of invalid) test(`rejects ${what}`, () => assert.equal(isWebviewMessage(m), false));

  test('spec shape check leaves the numbers to validateSpec', () => {
    assert.equal(isScheduleSpecShape({ policy: 'cyclic', baseLr: -1, maxLr: 0.1, stepSizeUp: 1 }), true);
    assert.equal(isScheduleSpecShape({ policy: 'cyclic', baseLr: '1e-3' }), false);
  });

  test('describeMessage says what was dropped without echoing its content', () => {
    assert.equal(describeMessage(null), 'null');
    assert.equal(describeMessage([1]), 'array');
    assert.equal(describeMessage({ type: 'points', runId: 'secret', points: [] }), 'type=points, keys=type,runId,points');
  });
});

describe('snapshotFromRecord', () => {
  test('keeps what the webview needs of a run record', () => {
    const record: RunRecord = {
      version: 1,
      id: 'run-42',
      kind: 'range-test',
      status: 'diverged',
      statusDetail: 'smoothed loss above 4 × best',
      startedAt: '2026-11-28T18:00:00Z',
      experiment: { path: '/ws/examples/mnist.experiment.ts', sha256: 'ab' },
      environment: { backend: 'wasm', libraryVersion: '4.22.0', runtime: 'node', threads: 1, lrscopeVersion: '0.1.0' },
      schedule: { policy: 'range', mode: 'exp', startLr: 1e-6, endLr: 1, steps: 100 },
      options: { beta: 0.95, divergeFactor: null },
      points: [{ step: 0, lr: 1e-6, loss: 2.3 }],
      epochs: [],
    };
    const snap = snapshotFromRecord(record);
    assert.deepEqual(snap, {
      id: 'run-42',
      kind: 'range-test',
      label: 'mnist.experiment.ts',
      status: 'diverged',
      statusDetail: 'smoothed loss above 4 × best',
      schedule: record.schedule,
      beta: 0.95,
      divergeFactor: null,
      backend: 'wasm',
      points: record.points,
      epochs: [],
    });
    assert.equal(isHostMessage({ type: 'state', state: { view: 'training', run: snap } }), true);
    assert.equal(snapshotFromRecord(record, 'wd=1e-4').label, 'wd=1e-4');
  });
});

describe('renderPanelHtml', () => {
  const options = { cspSource: 'https://*.vscode-cdn.net', scriptUri: 'https://x.vscode-cdn.net/ext/dist/webview.js', styleUri: 'https://x.vscode-cdn.net/ext/media/webview.css' };

  test('a strict CSP: nothing by default, the script by nonce, styles and images from the extension only', () => {
    const html = renderPanelHtml({ ...options, nonce: 'abcdefghijklmnopqrstuv' });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    assert.equal(csp, panelCsp(options.cspSource, 'abcdefghijklmnopqrstuv'));
    const directives = Object.fromEntries(csp!.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    assert.deepEqual(directives, {
      'default-src': "'none'",
      'script-src': "'nonce-abcdefghijklmnopqrstuv'",
      'style-src': 'https://*.vscode-cdn.net',
      'img-src': 'https://*.vscode-cdn.net',
      'font-src': 'https://*.vscode-cdn.net',
      'base-uri': "'none'",
      'form-action': "'none'",
    });
    assert.doesNotMatch(html, /unsafe-/);
  });

  test('one script, with the nonce and the bundle; one stylesheet; no inline style or script', () => {
    const html = renderPanelHtml({ ...options, nonce: 'abcdefghijklmnopqrstuv' });
    assert.deepEqual(html.match(/<script[^>]*>/g), ['<script nonce="abcdefghijklmnopqrstuv" src="https://x.vscode-cdn.net/ext/dist/webview.js">']);
    assert.match(html, /<script[^>]*><\/script>/);
    assert.deepEqual(html.match(/<link[^>]*>/g), ['<link rel="stylesheet" href="https://x.vscode-cdn.net/ext/media/webview.css">']);
    assert.doesNotMatch(html, /style=|<style/);
  });

  test('a fresh nonce per render', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => /nonce="([^"]+)"/.exec(renderPanelHtml(options))![1]));
    assert.equal(nonces.size, 50);
    for (const n of nonces) assert.match(n, /^[A-Za-z0-9_-]{32}$/);
    assert.match(makeNonce(), /^[A-Za-z0-9_-]{32}$/);
  });

  test('escapes URIs and refuses a weak nonce or a cspSource that would break the policy', () => {
    const html = renderPanelHtml({ ...options, scriptUri: 'https://x/a"b<c>.js', title: '<LR>' });
    assert.match(html, /src="https:\/\/x\/a&quot;b&lt;c&gt;\.js"/);
    assert.match(html, /<title>&lt;LR&gt;<\/title>/);
    assert.throws(() => renderPanelHtml({ ...options, nonce: 'short' }), /nonce/);
    assert.throws(() => renderPanelHtml({ ...options, nonce: 'abc"def><script>1234567890' }), /nonce/);
    assert.throws(() => renderPanelHtml({ ...options, cspSource: "https://a; script-src 'unsafe-inline'" }), /cspSource/);
    assert.throws(() => renderPanelHtml({ ...options, cspSource: "'unsafe-inline'" }), /cspSource/);
    assert.throws(() => renderPanelHtml({ ...options, cspSource: 'https://a\nscript-src *' }), /cspSource/);
    assert.throws(() => renderPanelHtml({ ...options, cspSource: '' }), /cspSource/);
  });

  test("accepts VS Code's cspSource with the 'self' keyword", () => {
    const cspSource = "'self' https://*.vscode-cdn.net";
    assert.equal(isSafeCspSource(cspSource), true);
    const html = renderPanelHtml({ ...options, cspSource, nonce: 'abcdefghijklmnopqrstuv' });
    assert.match(html, /style-src 'self' https:\/\/\*\.vscode-cdn\.net;/);
    assert.match(html, /img-src 'self' https:\/\/\*\.vscode-cdn\.net;/);
  });
});
