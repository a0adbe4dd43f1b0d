/**
 * The webview in real Chromium (playwright-core + /usr/bin/chromium) behind the panel's real CSP,
 * with a stand-in host (see harness/index.ts). Every test fails on any CSP violation or console
 * error. The harness bundles webview/main.ts itself (build.mjs's options) before the tests.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRangeTest, formatLr, roundLr } from '../../src/core/analysis';
import { validateSpec } from '../../src/core/schedules';
import { isWebviewMessage, type HostMessage, type WebviewMessage } from '../../src/protocol/webview';
import { allProblems, panelSuite, SHOTS_DIR, type OpenOptions, type Panel } from './harness';
import { rangeRun, rangeTestPoints, SCHEDULE_DEFAULTS, sweepRuns, trainingRun } from './harness/fixtures';

const suite = panelSuite();

async function panel(options: OpenOptions = {}): Promise<Panel> {
  const p = await suite.open(options);
  return p;
}

function rangeState(run = rangeRun('run-1', 'mnist-mlp', rangeTestPoints({ spike: 25 }))): HostMessage {
  return { type: 'state', state: { view: 'range-test', run, schedule: { ...SCHEDULE_DEFAULTS } } };
}

type Charts = ReturnType<NonNullable<Window['lrscopeDebug']>['charts']>;
const charts = (p: Panel) => p.page.evaluate(() => window.lrscopeDebug!.charts()) as Promise<Charts>;
const lastOf = async (p: Panel, type: WebviewMessage['type']) => (await p.posted()).filter((m) => m.type === type).pop();

describe('webview panel', () => {
  test('posts ready once on load, and each load gets a fresh CSP nonce', async () => {
    const a = await panel();
    const b = await panel();
    assert.deepEqual((await a.posted()).filter((m) => m.type === 'ready').length, 1);
    assert.equal((await b.posted()).length >= 1, true);
    assert.equal(new Set(suite.harness().nonces).size, suite.harness().nonces.length);
    const csp = await a.page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'));
    assert.match(csp ?? '', /default-src 'none'/);
    assert.doesNotMatch(csp ?? '', /unsafe-inline|unsafe-eval/);
  });

  test('renders a completed range test: curves, a marker per suggestion, the recommendation in words', async () => {
    const p = await panel();
    const state = rangeState();
    await p.deliver(state);
    await p.flush();
    const c = await charts(p);
    const range = c.range!;
    const byLabel = Object.fromEntries(range.datasets.map((d) => [d.label, d]));
    assert.equal(byLabel.loss?.points, 200);
    assert.equal(range.datasets.find((d) => d.label.startsWith('smoothed'))?.points, 200);

    // The same analysis, computed by the core here, must be what the panel shows.
    const run = (state as Extract<HostMessage, { type: 'state' }>).state as { run: { points: { lr: number; loss: number }[] } };
    const analysis = analyzeRangeTest(run.run.points, { beta: 0.98, requestedSteps: 200 });
    const rec = analysis.recommendation;
    assert.notEqual(rec.lr, null);
    const markers = range.datasets.filter((d) => /^(minimum\/10|steep|valley|slide) /.test(d.label));
    const expected = (['minimum', 'steep', 'valley', 'slide'] as const).filter((m) => analysis.suggestions[m] !== null);
    const method = (label: string) => label.split(' ')[0]!.replace('/10', '');
    assert.deepEqual(markers.map((d) => method(d.label)), expected);
    // the default rule (minimum-x2) is none of the four as it is: no suggestion's marker is the recommended one
    assert.equal(rec.rule, 'minimum-x2');
    assert.equal(markers.filter((d) => d.label.endsWith('(recommended)')).length, 0);
    assert.equal(await p.page.textContent('#recommendation'), rec.summary);
    assert.match((await p.page.textContent('#suggestions')) ?? '', new RegExp(`agreement: ${rec.agreement}`));
    assert.ok(((await p.page.textContent('#suggestions')) ?? '').includes(`minimum-x2: ${formatLr(rec.lr!)} ★ recommended`));
    assert.equal(await p.page.isVisible('#stop'), false);
    // The schedule follows the recommendation.
    assert.equal(Number(await p.page.inputValue('#max-lr')), roundLr(rec.lr!));
    assert.match((await p.page.textContent('#max-lr-note')) ?? '', /recommended/);
  });

  test('streams points: updates coalesce into one render, the chart grows, Stop posts stop', async () => {
    const p = await panel();
    const points = rangeTestPoints();
    const run = rangeRun('live', 'live run', [], 'running');
    await p.deliver(rangeState(run));
    const first = await p.flush();
    assert.equal(first, 1);
    // 10 batches of 10 points in one task: one render.
    const batches = Array.from({ length: 10 }, (_, k): HostMessage => ({ type: 'points', runId: 'live', points: points.slice(k * 10, k * 10 + 10) }));
    await p.deliver(...batches);
    assert.equal(await p.flush(), first + 1);
    assert.equal((await charts(p)).range!.datasets.find((d) => d.label === 'loss')?.points, 100);
    assert.match((await p.page.textContent('#run-status')) ?? '', /running · 100 \/ 200 steps/);
    assert.match((await p.page.textContent('#recommendation')) ?? '', /^Running: 100 of 200 steps\. Provisional suggestion: /);

    // Without a flush the throttle renders by itself (rAF / timer).
    const before = await p.renderCount();
    await p.deliver({ type: 'points', runId: 'live', points: points.slice(100, 150) });
    await p.page.waitForFunction((n) => window.lrscopeDebug!.renderCount() > n, before);
    assert.equal((await charts(p)).range!.datasets.find((d) => d.label === 'loss')?.points, 150);

    assert.equal(await p.page.isVisible('#stop'), true);
    await p.page.click('#stop');
    assert.deepEqual(await lastOf(p, 'stop'), { type: 'stop', runId: 'live' });
    await p.deliver({ type: 'status', runId: 'live', status: 'cancelled', detail: 'stopped by the user' });
    await p.flush();
    assert.equal(await p.page.isVisible('#stop'), false);
    assert.match((await p.page.textContent('#run-status')) ?? '', /cancelled.*stopped by the user/);
  });

  test('a long run is decimated before chart.js, analysed exactly, streamed incrementally, exported whole', async () => {
    const p = await panel({ viewport: { width: 1000, height: 900 } });
    const n = 60_000;
    const points = rangeTestPoints({ steps: n + 500, noise: 0.1 });
    const run = rangeRun('long', 'long run', points.slice(0, n), 'running', n + 500);
    await p.deliver(rangeState(run));
    await p.flush();
    const width = (await charts(p)).range!.width;
    const drawn = async () => Object.fromEntries((await charts(p)).range!.datasets.map((d) => [d.label.split(' ')[0], d.points]));
    let counts = await drawn();
    assert.ok(counts.loss! <= 4 * width + 8 && counts.loss! > width, `${counts.loss} raw points drawn on ${width} px`);
    assert.ok(counts.smoothed! <= 4 * width + 8, `${counts.smoothed} smoothed points drawn`);
    const expected = (k: number) => {
      const { lr, rule } = analyzeRangeTest(points.slice(0, k), { beta: 0.98, requestedSteps: n + 500 }).recommendation;
      return `Running: ${k} of ${n + 500} steps. Provisional suggestion: ${formatLr(lr!)} (${rule}). The reading comes when the run ends.`;
    };
    assert.equal(await p.page.textContent('#recommendation'), expected(n));
    // Five streamed batches, each analysed on top of the last.
    for (let k = 0; k < 5; k++) {
      await p.deliver({ type: 'points', runId: 'long', points: points.slice(n + 100 * k, n + 100 * (k + 1)) });
      await p.flush();
    }
    assert.equal(await p.page.textContent('#recommendation'), expected(n + 500));
    counts = await drawn();
    assert.ok(counts.loss! <= 4 * width + 8);
    await p.page.click('#export-csv');
    const csv = await lastOf(p, 'export');
    assert.ok(csv && csv.type === 'export');
    assert.equal(csv.data.trim().split('\n').length, n + 500 + 1, 'the export has every point');
  });

  test('click and drag on the curve pick an LR; the schedule preview and Insert follow', async () => {
    const p = await panel();
    await p.deliver(rangeState());
    await p.flush();
    const at = (lr: number) => p.page.evaluate((x) => window.lrscopeDebug!.pagePoint('range', x), lr);

    const click = (await at(1e-3))!;
    await p.page.mouse.click(click.x, click.y);
    await p.flush();
    const picked = Number(await p.page.getAttribute('#picked', 'data-lr'));
    assert.ok(Math.abs(Math.log10(picked) + 3) < 0.02, `picked ${picked}`);
    assert.deepEqual(await lastOf(p, 'pick'), { type: 'pick', runId: 'run-1', lr: picked });
    assert.equal(Number(await p.page.inputValue('#max-lr')), picked);
    assert.equal(await p.page.textContent('#max-lr-note'), 'picked on the curve');
    const lrSeries = (await charts(p)).schedule!.datasets.find((d) => d.label === 'LR');
    assert.ok(lrSeries && lrSeries.points > 100);

    const from = (await at(1e-4))!;
    const to = (await at(3e-3))!;
    await p.page.mouse.move(from.x, from.y);
    await p.page.mouse.down();
    await p.page.mouse.move((from.x + to.x) / 2, from.y, { steps: 3 });
    await p.page.mouse.move(to.x, to.y, { steps: 3 });
    await p.page.mouse.up();
    await p.flush();
    const dragged = Number(await p.page.getAttribute('#picked', 'data-lr'));
    assert.ok(Math.abs(Math.log10(dragged) - Math.log10(3e-3)) < 0.02, `dragged ${dragged}`);

    await p.page.click('#insert');
    const insert = await lastOf(p, 'insert');
    assert.ok(insert && insert.type === 'insert');
    assert.equal(isWebviewMessage(insert), true);
    assert.deepEqual(validateSpec(insert.spec), insert.spec);
    assert.deepEqual(insert.spec, { policy: 'onecycle', flavor: 'pytorch', maxLr: dragged, totalSteps: 500 });
    assert.equal(insert.framework, 'pytorch');

    // Back to the recommendation.
    await p.page.click('#clear-pick');
    await p.flush();
    assert.deepEqual(await lastOf(p, 'pick'), { type: 'pick', runId: 'run-1', lr: null });
    assert.match((await p.page.textContent('#max-lr-note')) ?? '', /recommended/);
  });

  test('Insert writes the recommended LR rounded to two significant digits, the number the field shows', async () => {
    const p = await panel();
    const lr = 0.0027825594022071257;
    await p.deliver({ type: 'state', state: { view: 'schedule', maxLr: lr, schedule: { ...SCHEDULE_DEFAULTS } } });
    await p.flush();
    assert.equal(await p.page.inputValue('#max-lr'), '0.0028');
    await p.page.click('#insert');
    const m = await lastOf(p, 'insert');
    assert.ok(m && m.type === 'insert' && m.spec.policy === 'onecycle' && m.spec.flavor === 'pytorch');
    assert.equal(m.spec.maxLr, 0.0028);
  });

  test('Insert and Copy post valid messages for the chosen flavor and framework', async () => {
    const p = await panel();
    await p.deliver({ type: 'state', state: { view: 'schedule', maxLr: 0.01, schedule: { ...SCHEDULE_DEFAULTS } } });
    await p.flush();
    await p.page.selectOption('#flavor', 'fastai');
    await p.page.selectOption('#framework', 'keras');
    await p.page.fill('#epochs', '3');
    await p.page.fill('#steps-per-epoch', '40');
    await p.page.fill('#field-pctStart', '0.3');
    await p.page.click('#insert');
    await p.page.click('#copy');
    const insert = await lastOf(p, 'insert');
    const copy = await lastOf(p, 'copy');
    for (const m of [insert, copy]) {
      assert.equal(isWebviewMessage(m), true);
      assert.ok(m && (m.type === 'insert' || m.type === 'copy'));
      assert.deepEqual(m.spec, { policy: 'onecycle', flavor: 'fastai', lrMax: 0.01, totalSteps: 120, pctStart: 0.3 });
      assert.equal(m.framework, 'keras');
      validateSpec(m.spec);
    }

    // Smith and cyclic come from the core's recommendSchedule and validate.
    for (const flavor of ['smith', 'cyclic', 'optax-linear'] as const) {
      await p.page.selectOption('#flavor', flavor);
      await p.page.click('#insert');
      const m = await lastOf(p, 'insert');
      assert.ok(m && m.type === 'insert');
      validateSpec(m.spec);
      assert.equal(m.spec.policy === 'onecycle' ? m.spec.flavor : m.spec.policy, flavor);
    }

    // Each request carries its own id; the host's one reply to it is shown, a reply to no request is dropped.
    const requests = (await p.posted()).filter((m) => m.type === 'insert' || m.type === 'copy');
    const ids = requests.map((m) => (m.type === 'insert' || m.type === 'copy' ? m.requestId : ''));
    assert.equal(new Set(ids).size, ids.length, `distinct request ids: ${ids.join(', ')}`);
    const lastInsert = await lastOf(p, 'insert');
    assert.ok(lastInsert && lastInsert.type === 'insert');
    assert.equal(await p.page.isVisible('#notice'), false);
    await p.deliver({ type: 'reply', requestId: lastInsert.requestId, ok: false, message: 'train.py changed since the plan was made; try again' });
    assert.equal(await p.page.textContent('#notice'), 'train.py changed since the plan was made; try again');
    assert.equal(await p.page.getAttribute('#notice', 'class'), 'notice notice--error');
    await p.deliver({ type: 'reply', requestId: lastInsert.requestId, ok: true, message: 'a second reply' });
    await p.deliver({ type: 'reply', requestId: 'req-999', ok: true, message: 'a reply to nothing' });
    assert.equal(await p.page.textContent('#notice'), 'train.py changed since the plan was made; try again', 'replies to no waiting request change nothing');
    const dropped = (await p.posted()).filter((m) => m.type === 'log' && /dropped a reply to/.test(m.message));
    assert.equal(dropped.length, 2, 'and are reported to the host');
    await p.deliver({ type: 'reply', requestId: ids[0]!, ok: true, message: 'Copied the pytorch code (9 lines) to the clipboard.' });
    assert.equal(await p.page.getAttribute('#notice', 'class'), 'notice notice--info');
  });

  test('an invalid field shows the validator message beside it and disables Insert', async () => {
    const p = await panel();
    await p.deliver({ type: 'state', state: { view: 'schedule', maxLr: 0.01, schedule: { ...SCHEDULE_DEFAULTS } } });
    await p.flush();
    await p.page.fill('#field-pctStart', '1.5');
    assert.match((await p.page.textContent('#field-pctStart-error')) ?? '', /pctStart.*\(0, 1\).*1\.5/);
    assert.equal(await p.page.isDisabled('#insert'), true);
    await p.page.fill('#field-pctStart', 'abc');
    assert.match((await p.page.textContent('#field-pctStart-error')) ?? '', /enter a number/);
    await p.page.fill('#max-lr', '-1');
    assert.match((await p.page.textContent('#max-lr-error')) ?? '', /max LR must be a number > 0/);
    await p.page.fill('#field-pctStart', '0.25');
    await p.page.fill('#max-lr', '0.02');
    assert.equal(await p.page.textContent('#field-pctStart-error'), '');
    assert.equal(await p.page.isDisabled('#insert'), false);
    await p.page.click('#insert');
    const m = await lastOf(p, 'insert');
    assert.deepEqual(m && m.type === 'insert' && m.spec, { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.02, totalSteps: 500, pctStart: 0.25 });
  });

  test('invalid host messages are dropped and reported; the view is untouched', async () => {
    const p = await panel();
    await p.deliver(rangeState());
    const renders = await p.flush();
    await p.deliver(
      null,
      { type: 'bogus' },
      { type: 'points', runId: 'run-1', points: [{ step: 0, lr: 'a', loss: 1 }] },
      { type: 'state', state: { view: 'range-test' } },
      { type: 'status', runId: 'run-1', status: 'exploded' },
    );
    assert.equal(await p.page.evaluate(() => window.lrscopeDebug!.droppedCount()), 5);
    assert.equal(await p.flush(), renders);
    const logs = (await p.posted()).filter((m) => m.type === 'log');
    assert.equal(logs.length, 5);
    assert.ok(logs.every((m) => m.type === 'log' && m.level === 'warn' && /dropped an invalid message/.test(m.message)));
    assert.equal((await charts(p)).range!.datasets.find((d) => d.label === 'loss')?.points, 200);
  });

  test('theme switch: chart colours are re-read from the --vscode-* variables', async () => {
    const p = await panel({ theme: 'dark' });
    await p.deliver(rangeState());
    await p.flush();
    const smoothColor = async () => (await charts(p)).range!.datasets.find((d) => d.label.startsWith('smoothed'))?.color;
    assert.equal(await smoothColor(), '#3794ff');
    await p.setTheme('light');
    await p.page.waitForFunction(() => window.lrscopeDebug!.charts().range!.datasets.some((d) => d.color === '#1a85ff'));
    await p.setTheme('high-contrast');
    await p.page.waitForFunction(() => window.lrscopeDebug!.charts().range!.datasets.some((d) => d.color === '#75beff'));
    const bg = await p.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(0, 0, 0)');
  });

  test('training view: LR, momentum, loss per step and epochs, live', async () => {
    const p = await panel();
    const run = trainingRun('train-1', 3);
    await p.deliver({ type: 'state', state: { view: 'training', run } });
    await p.flush();
    let c = await charts(p);
    assert.deepEqual(c.lr!.datasets.map((d) => [d.label, d.points]), [['LR', 150], ['momentum', 150]]);
    assert.deepEqual(c.epochs!.datasets.map((d) => d.label), ['train loss', 'validation loss', 'acc', 'val_acc']);
    assert.equal(await p.page.locator('#epoch-table tbody tr').count(), 3);
    const full = trainingRun('train-1', 4);
    await p.deliver(
      { type: 'points', runId: 'train-1', points: full.points.slice(150) },
      { type: 'epoch', runId: 'train-1', epoch: full.epochs[3]! },
      { type: 'status', runId: 'train-1', status: 'completed' },
    );
    await p.flush();
    c = await charts(p);
    assert.equal(c.loss!.datasets[0]!.points, 200);
    assert.equal(await p.page.locator('#epoch-table tbody tr').count(), 4);
    assert.match((await p.page.textContent('#latest')) ?? '', /epoch 3: .*val_acc 0\.835/);
  });

  test('compare view: several range tests overlaid, labelled, with a table', async () => {
    const p = await panel();
    await p.deliver({ type: 'state', state: { view: 'compare', runs: sweepRuns() } });
    await p.flush();
    const c = await charts(p);
    const curves = c.compare!.datasets.filter((d) => d.points > 1).map((d) => d.label);
    assert.deepEqual(curves, ['wd=0', 'wd=1e-4', 'wd=1e-3']);
    assert.equal(await p.page.locator('#compare-table tbody tr').count(), 3);
    assert.match((await p.page.textContent('#compare-table tr.best')) ?? '', /wd=0 ★ tolerates the largest LR/);
    assert.match((await p.page.textContent('#sweep-reading [data-finding="largest-lr"]')) ?? '', /^wd=0 tolerates the largest LR: it diverges at/);
    // each star sits at its run's recommended LR (the default rule, minimum-x2), not at the loss minimum
    for (const run of sweepRuns()) {
      const star = c.compare!.datasets.find((d) => d.label.startsWith(`${run.label}: `) && d.label.endsWith('(minimum-x2)'));
      assert.ok(star?.at, `a star for ${run.label}`);
      const row = await p.page.textContent(`#compare-table tr[data-run="${run.id}"] td:nth-child(2)`);
      assert.equal(star.at.x.toExponential(1), row, 'at the recommended LR of the table');
    }
  });

  test('compare view: no star for the largest LR when no run diverged, and the reading says why; the title names the sweep', async () => {
    const p = await panel();
    const flat = (id: string, label: string, seed: number) => rangeRun(id, label, rangeTestPoints({ bestLog10: 3, seed }));
    await p.deliver({ type: 'state', state: { view: 'compare', title: 'digits: weight decay sweep', runs: [flat('a', 'wd=0', 1), flat('b', 'wd=1e-4', 2)] } });
    await p.flush();
    assert.equal(await p.page.textContent('#compare-title'), 'digits: weight decay sweep');
    assert.equal(await p.page.locator('#compare-table tr.best').count(), 0);
    assert.doesNotMatch((await p.page.textContent('#compare-table')) ?? '', /★/);
    assert.match((await p.page.textContent('#sweep-reading [data-finding="largest-lr"]')) ?? '', /No run diverged within its LR range/);
    assert.equal(await p.page.locator('#sweep-reading li.not-stated').count() >= 1, true);
  });

  test('a watched log: "watching · N steps" without a planned length, the LR axis follows the data, Stop asks to stop the watch', async () => {
    const p = await panel();
    const points = rangeTestPoints({ steps: 200 }).slice(0, 60); // 1e-6 … about 1e-4
    const run = { ...rangeRun('log-1', 'lr_log.csv', points.slice(0, 30), 'running'), log: 'watched' as const, totalSteps: undefined, backend: 'log' };
    await p.deliver({ type: 'state', state: { view: 'range-test', run, schedule: SCHEDULE_DEFAULTS } });
    await p.flush();
    assert.equal(await p.page.textContent('#run-status'), 'watching · 30 steps');
    let c = await charts(p);
    assert.ok(c.range!.x.max <= points[29]!.lr * 1.001, `x axis ends at the data (${c.range!.x.max}), not at 10`);
    await p.deliver({ type: 'points', runId: 'log-1', points: points.slice(30) });
    await p.flush();
    c = await charts(p);
    assert.equal(await p.page.textContent('#run-status'), 'watching · 60 steps');
    assert.ok(Math.abs(c.range!.x.max / points[59]!.lr - 1) < 1e-3, 'the axis grew with the data');
    await p.page.click('#stop');
    assert.deepEqual(await lastOf(p, 'stop'), { type: 'stop', runId: 'log-1' });
  });

  test('export: PNG as a data URL, CSV and JSON of the data', async () => {
    const p = await panel();
    await p.deliver(rangeState());
    await p.flush();
    await p.page.click('#export-png');
    await p.page.click('#export-csv');
    await p.page.click('#export-json');
    const png = await lastOf(p, 'export');
    const exports = (await p.posted()).filter((m) => m.type === 'export');
    assert.equal(exports.length, 3);
    for (const m of exports) assert.equal(isWebviewMessage(m), true);
    const [pngMsg, csv, json] = exports as Extract<WebviewMessage, { type: 'export' }>[];
    assert.ok(png);
    assert.equal(pngMsg!.fileName, 'mnist-mlp-chart.png');
    assert.ok(pngMsg!.data.startsWith('data:image/png;base64,') && pngMsg!.data.length > 10_000);
    const lines = csv!.data.trim().split('\n');
    assert.equal(lines[0], 'run,step,lr,loss,smoothed,momentum');
    assert.equal(lines.length, 201);
    const doc = JSON.parse(json!.data) as { runs: unknown[]; analysis: { recommendation: { method: string } } };
    assert.equal(doc.runs.length, 1);
    assert.equal(typeof doc.analysis.recommendation.method, 'string');
  });

  test('view-local choices persist through setState and are restored', async () => {
    const p = await panel();
    await p.deliver(rangeState());
    await p.flush();
    await p.page.click('#clip');
    await p.page.selectOption('#flavor', 'smith');
    const saved = (await p.uiState()) as { clip: boolean; flavor: string };
    assert.equal(saved.clip, false);
    assert.equal(saved.flavor, 'smith');
    const q = await panel({ uiState: saved });
    await q.deliver(rangeState());
    await q.flush();
    assert.equal(await q.page.isChecked('#clip'), false);
    assert.equal(await q.page.inputValue('#flavor'), 'smith');
  });

  test('y clipping keeps an early spike and the divergence from flattening the curve', async () => {
    const p = await panel();
    await p.deliver(rangeState()); // a spike of 25 at step 3, the loss starts near 2.3
    await p.flush();
    const clipped = (await charts(p)).range!.y;
    assert.ok(clipped.max < 5 && clipped.max > 2.2, `clipped to ${JSON.stringify(clipped)}`);
    await p.page.click('#clip');
    await p.flush();
    const full = (await charts(p)).range!.y;
    assert.ok(full.max >= 25, `unclipped ${JSON.stringify(full)}`);
  });

  test('the smoothing slider re-analyses with the new β; the raw curve can be hidden', async () => {
    const p = await panel();
    const state = rangeState(rangeRun('run-1', 'mnist-mlp', rangeTestPoints()));
    await p.deliver(state);
    await p.flush();
    await p.page.evaluate(() => {
      const slider = document.getElementById('beta') as HTMLInputElement;
      slider.value = '0.9';
      slider.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await p.flush();
    assert.equal(await p.page.textContent('#beta-value'), '0.900');
    const run = (state as { state: { run: { points: { lr: number; loss: number }[] } } }).state.run;
    const expected = analyzeRangeTest(run.points, { beta: 0.9, requestedSteps: 200 });
    assert.equal(await p.page.textContent('#recommendation'), expected.recommendation.summary);
    assert.ok((await charts(p)).range!.datasets.some((d) => d.label === 'smoothed (causal EMA, β 0.900)'));
    assert.equal(((await p.uiState()) as { beta: number }).beta, 0.9);
    await p.page.click('#show-raw');
    await p.flush();
    assert.equal((await charts(p)).range!.datasets.some((d) => d.label === 'loss'), false);
  });

  test('the harness itself catches CSP violations (an inline style attribute is refused)', async () => {
    const p = await panel();
    await p.page.evaluate(() => {
      const div = document.createElement('div');
      div.setAttribute('style', 'color: red');
      document.body.append(div);
    });
    await p.page.waitForFunction(() => (window as unknown as { __problems: string[] }).__problems.length > 0);
    const problems = await allProblems(p);
    assert.match(problems.join('\n'), /CSP violation: style-src/);
    assert.match(problems.join('\n'), /console error: .*Content Security Policy/);
    await p.clearProblems(); // provoked on purpose: not a failure of this test

  });

  test('screenshots of every view in dark, light and high-contrast themes', async () => {
    const themes = ['dark', 'light', 'high-contrast'] as const;
    for (const theme of themes) {
      const p = await panel({ theme, viewport: { width: 1000, height: 1000 } });
      const views: [string, HostMessage][] = [
        ['range-test', rangeState()],
        ['schedule', { type: 'state', state: { view: 'schedule', maxLr: 0.01, schedule: { ...SCHEDULE_DEFAULTS, flavor: 'smith' } } }],
        ['training', { type: 'state', state: { view: 'training', run: trainingRun('train-1', 4) } }],
        ['compare', { type: 'state', state: { view: 'compare', runs: sweepRuns() } }],
      ];
      for (const [name, state] of theme === 'high-contrast' ? views.slice(0, 1) : views) {
        await p.deliver(state);
        await p.flush();
        if (name === 'range-test') {
          const at = (await p.page.evaluate(() => window.lrscopeDebug!.pagePoint('range', 3e-3)))!;
          await p.page.mouse.click(at.x, at.y);
          await p.flush();
          await p.page.mouse.move(0, 0);
        }
        const file = `${SHOTS_DIR}/${name}-${theme}.png`;
        await p.page.screenshot({ path: file, fullPage: true });
        for (const [chart, info] of Object.entries(await charts(p))) {
          assert.ok(Math.abs(info.width - info.boxWidth) <= 1 && info.width > 200, `${name}/${theme}: chart ${chart} is ${info.width}px wide in a ${info.boxWidth}px box`);
        }
        assert.equal(await p.page.evaluate(() => window.lrscopeDebug!.view()), name);
      }
    }
  });
});
