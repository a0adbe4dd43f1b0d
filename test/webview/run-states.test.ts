/**
 * What the range-test panel says at each point of a run, in real Chromium behind the real CSP:
 * starting, running, then how it ended (completed, diverged, cancelled, crashed, failed). Exactly the
 * text shown; no failure text while the run goes; every caveat once.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRangeTest, formatLr } from '../../src/core/analysis';
import type { HostMessage, RunSnapshot } from '../../src/protocol/webview';
import { panelSuite, SHOTS_DIR, type Panel } from './harness';
import { rangeRun, rangeTestPoints, SCHEDULE_DEFAULTS } from './harness/fixtures';

const suite = panelSuite();

async function show(run: RunSnapshot): Promise<Panel> {
  const p = await suite.open();
  await p.deliver({ type: 'state', state: { view: 'range-test', run, schedule: { ...SCHEDULE_DEFAULTS } } } satisfies HostMessage);
  await p.flush();
  return p;
}

/** What the panel shows, read as a user reads it (hidden elements read as null). */
async function shown(p: Panel) {
  const text = async (selector: string) => ((await p.page.isVisible(selector)) ? ((await p.page.innerText(selector)).trim() as string) : null);
  return {
    status: await text('#run-status'),
    error: await text('#run-error'),
    reading: await text('#recommendation'),
    suggestions: await text('#suggestions'),
    caveats: (await p.page.isVisible('#caveats')) ? await p.page.$$eval('#caveats li', (els) => els.map((e) => e.textContent ?? '')) : [],
    maxLrError: (await p.page.textContent('#max-lr-error')) ?? '',
    body: await p.page.innerText('body'),
  };
}

/** Text that means something went wrong, or advice about a finished curve. */
const FAILURE = /No learning rate|cancelled|crashed|failed|must be a number|too few|Only \d+ points?|never turned up|run more steps|diverged/i;

const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe('the range-test panel states its truth', () => {
  test('at step 0: "starting…", no caveat, no error, no red schedule field', async () => {
    const p = await show(rangeRun('r0', 'mnist-mlp', [], 'running', 100));
    const s = await shown(p);
    assert.equal(s.status, 'starting… · 100 steps planned · wasm');
    assert.equal(s.reading, 'Starting… waiting for the first step.');
    assert.equal(s.error, null);
    assert.equal(s.suggestions, null);
    assert.deepEqual(s.caveats, []);
    assert.equal(s.maxLrError, '');
    assert.doesNotMatch(s.body, FAILURE);
    assert.equal(await p.page.isVisible('#range-chart'), true, 'the axes are ready for the first points');
    assert.match((await p.page.textContent('#max-lr-note')) ?? '', /no recommendation yet/);
    assert.equal(await p.page.isDisabled('#insert'), true);
    await p.page.screenshot({ path: `${SHOTS_DIR}/range-test-starting-dark.png`, fullPage: true });
  });

  test('mid-run: the progress and a provisional number, none of the caveats the core has for a partial curve', async () => {
    const points = rangeTestPoints().slice(0, 120);
    const core = analyzeRangeTest(points, { requestedSteps: 200 }).recommendation;
    assert.ok(core.caveats.length > 0, 'the partial curve has caveats the panel must hold back');
    assert.notEqual(core.lr, null);
    const p = await show(rangeRun('r1', 'mnist-mlp', points, 'running', 200));
    const s = await shown(p);
    assert.equal(s.status, 'running · 120 / 200 steps · wasm');
    assert.equal(s.reading, `Running: 120 of 200 steps. Provisional suggestion: ${formatLr(core.lr!)} (${core.rule}). The reading comes when the run ends.`);
    assert.equal(s.error, null);
    assert.deepEqual(s.caveats, []);
    assert.doesNotMatch(s.suggestions ?? '', /agreement/);
    assert.doesNotMatch(s.body, FAILURE);
  });

  test('one run from start to end: starting, running, then the result', async () => {
    const points = rangeTestPoints();
    const p = await show(rangeRun('live', 'mnist-mlp', [], 'running', 200));
    assert.equal((await shown(p)).reading, 'Starting… waiting for the first step.');
    await p.deliver({ type: 'points', runId: 'live', points: points.slice(0, 5) });
    await p.flush();
    let s = await shown(p);
    assert.equal(s.status, 'running · 5 / 200 steps · wasm');
    assert.equal(s.reading, 'Running: 5 of 200 steps. The reading comes when the run ends.');
    assert.doesNotMatch(s.body, FAILURE);
    await p.deliver({ type: 'points', runId: 'live', points: points.slice(5) }, { type: 'status', runId: 'live', status: 'completed' });
    await p.flush();
    s = await shown(p);
    const core = analyzeRangeTest(points, { requestedSteps: 200 }).recommendation;
    assert.equal(s.status, 'completed · 200 / 200 steps · wasm');
    assert.equal(s.reading, core.summary);
    assert.match(s.suggestions ?? '', new RegExp(`agreement: ${core.agreement}`));
  });

  test('completed and diverged: the summary, then each caveat once', async () => {
    for (const status of ['completed', 'diverged'] as const) {
      // A short run, so that there are caveats to show.
      const points = rangeTestPoints({ steps: 40 });
      const core = analyzeRangeTest(points, { requestedSteps: 40 }).recommendation;
      assert.notEqual(core.lr, null);
      const p = await show(rangeRun(`r-${status}`, 'mnist-mlp', points, status, 40));
      const s = await shown(p);
      assert.equal(s.status, `${status} · 40 / 40 steps · wasm`);
      assert.equal(s.error, null);
      assert.equal(s.reading, core.summary);
      assert.ok(core.caveats.length > 0);
      assert.deepEqual(s.caveats, core.caveats.map((c) => `${c.flag} — ${c.text}`));
      for (const c of core.caveats) assert.equal(occurrences(s.body, c.text), 1, `"${c.text}" shown once`);
    }
  });

  test('cancelled: "cancelled after N of M steps", not "cancelled or crashed?", no run-more-steps advice', async () => {
    const points = rangeTestPoints().slice(0, 30);
    const core = analyzeRangeTest(points, { requestedSteps: 200 }).recommendation;
    assert.deepEqual(core.flags.includes('too-few-points') && core.flags.includes('incomplete'), true);
    const run: RunSnapshot = { ...rangeRun('rc', 'mnist-mlp', points, 'cancelled', 200), statusDetail: 'stopped by the user' };
    const p = await show(run);
    const s = await shown(p);
    assert.equal(s.status, 'cancelled · 30 / 200 steps · wasm — stopped by the user');
    assert.equal(s.error, null);
    assert.equal(s.reading, core.summary);
    // The curve's own caveats stay (here: flat so far); "run more steps" goes; "incomplete" says how it ended.
    const flat = core.caveats.find((c) => c.flag === 'flat');
    assert.ok(flat);
    assert.deepEqual(s.caveats, [
      `flat — ${flat.text}`,
      'incomplete — The run was cancelled after 30 of 200 planned steps: the curve may be missing its upper end.',
    ]);
    assert.doesNotMatch(s.body, /cancelled or crashed|run more steps/);
  });

  test('crashed: the error first, then what the steps before it allow', async () => {
    const run: RunSnapshot = {
      ...rangeRun('rx', 'mnist-mlp', rangeTestPoints().slice(0, 30), 'crashed', 200),
      statusDetail: 'the engine process exited with signal SIGKILL',
    };
    const p = await show(run);
    const s = await shown(p);
    assert.equal(s.error, 'The run crashed after 30 of 200 steps: the engine process exited with signal SIGKILL');
    assert.equal(s.status, 'crashed · 30 / 200 steps · wasm');
    assert.equal(s.reading, 'No learning rate can be read from the 30 steps recorded before the error.');
    assert.deepEqual(s.caveats, []);
    assert.ok(s.body.indexOf(s.error) < s.body.indexOf(s.reading), 'the error comes before the reading');
    assert.equal(await p.page.isVisible('#range-chart'), true, 'the curve before the crash is drawn');
    const errorBox = (await p.page.locator('#run-error').boundingBox())!;
    const chartBox = (await p.page.locator('#range-chart').boundingBox())!;
    assert.ok(errorBox.y < chartBox.y, 'the error is above the chart');
    assert.doesNotMatch(s.body, /run more steps|cancelled or crashed|Only \d+ points/);
    assert.equal(s.maxLrError, '');
  });

  test('failed: its real error (a shape mismatch) first, no advice about the curve', async () => {
    const message =
      'mnist.experiment.ts: the model output has shape [null,10] but the labels have shape [null,1]; use sparseCategoricalCrossentropy or one-hot labels.';
    const p = await show({ ...rangeRun('rf', 'mnist-mlp', [], 'failed', 100), statusDetail: message });
    const s = await shown(p);
    assert.equal(s.status, 'failed · 0 / 100 steps · wasm');
    assert.equal(occurrences(s.body, message), 1, 'the error is shown once');
    assert.equal(s.error, `The run failed: ${message}`);
    assert.equal(s.reading, 'No learning rate: no step was recorded before the error.');
    assert.equal(s.suggestions, null);
    assert.deepEqual(s.caveats, []);
    assert.equal(await p.page.isVisible('#pick-hint'), false, 'nothing to pick on');
    assert.equal(await p.page.isVisible('#range-chart'), false, 'no empty chart under the error');
    assert.equal(await p.page.textContent('#max-lr-note'), 'no recommendation from this run: type one');
    assert.doesNotMatch(s.body, /run more steps|too few|cancelled or crashed|must be a number/);
    await p.page.screenshot({ path: `${SHOTS_DIR}/range-test-failed-dark.png`, fullPage: true });
  });
});
