// End-to-end test of the packaged LR Scope extension in code-server (VS Code 1.100), driven by
// playwright-core + Debian's chromium. Started by run.sh, which installs the .vsix into a fresh
// profile and serves a temp workspace holding train.py (PyTorch; also run through the probe with
// /usr/bin/python3), blobs.experiment.ts (TF.js) and wide.experiment.ts (a slow experiment for the Stop test).
// Env: CS_URL (workbench URL incl. ?folder=), WORKSPACE (that folder), SHOT_DIR (README screenshots),
//      FAIL_DIR (screenshots of failures), CHROMIUM (default /usr/bin/chromium).
// Prints one line per check and, last, `N passed, N failed`; exits 1 when any check failed.
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');
const os = require('os');
const assert = require('assert/strict');
const { spawnSync } = require('child_process');

const url = process.env.CS_URL;
const workspace = process.env.WORKSPACE;
const shotDir = process.env.SHOT_DIR;
const failDir = process.env.FAIL_DIR || os.tmpdir();
const runsDir = path.join(workspace, '.lrscope', 'runs');
const t0 = Date.now();
const results = [];
/** What earlier checks found, for later ones. */
const found = {};

/** Runs one check; a check whose prerequisite failed fails at once (never skipped). */
async function check(name, needs, fn) {
  const start = Date.now();
  const missing = needs.filter((n) => !(n in found));
  try {
    if (missing.length) throw new Error(`prerequisite failed: ${missing.join(', ')}`);
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - start} ms)`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${err && err.stack ? err.stack.split('\n').slice(0, 3).join('\n     ') : err}`);
    if (page) await page.screenshot({ path: path.join(failDir, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`) }).catch(() => {});
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, fn, timeout = 30000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
}

/** Run records on disk (the extension writes them; the test only reads). */
function records() {
  if (!fs.existsSync(runsDir)) return [];
  return fs
    .readdirSync(runsDir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      try {
        return [{ file: path.join(runsDir, f), ...JSON.parse(fs.readFileSync(path.join(runsDir, f), 'utf8')) }];
      } catch {
        return []; // being written
      }
    });
}

/** The LR as LR Scope shows it (formatLr in src/core/analysis/format.ts). */
const formatLr = (lr) => lr.toExponential(1);

let page;

/** Runs a command from the palette (retried: right after start-up the palette may not list extensions' commands yet). */
async function runCommand(title, attempts = 6) {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>' + title);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 10000 });
      await page.keyboard.press('Enter');
      return;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (attempt >= attempts) throw err;
    }
  }
}

async function openFile(name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).first().waitFor();
}

/** The text of the active editor as rendered (lines sorted by position; short files fit the view). */
async function editorText() {
  return page.locator('.editor-group-container.active .monaco-editor .view-lines').first().evaluate((el) =>
    [...el.querySelectorAll('.view-line')]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((l) => l.textContent.replace(/\u00a0/g, ' '))
      .join('\n'),
  );
}

const webview = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
const lens = (text) => page.locator('.monaco-editor .codelens-decoration a', { hasText: text });

async function shot(name) {
  fs.mkdirSync(shotDir, { recursive: true });
  // Toasts would cover the view: dismiss them, then let the layout settle.
  const toasts = page.locator('.notifications-toasts .notification-toast');
  if ((await toasts.count()) > 0) {
    await runCommand('Notifications: Clear All Notifications');
    await sleep(400);
  }
  await page.screenshot({ path: path.join(shotDir, name) });
  console.log(`     screenshot ${path.join(path.basename(shotDir), name)}`);
}

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 860 },
    deviceScaleFactor: 1,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await context.newPage();
  page.setDefaultTimeout(30000);
  try {
    await check('the workbench loads', [], async () => {
      await page.goto(url);
      await page.locator('.monaco-workbench').waitFor();
      await page.locator('.statusbar').waitFor();
      found.workbench = true;
    });

    await check('"Run Range Test on Example" shows the live curve and the recommendation', ['workbench'], async () => {
      await runCommand('LR Scope: Run Range Test on Example');
      const wv = webview();
      await wv.locator('#range-chart').waitFor({ timeout: 90000 });
      await wv.locator('#run-status', { hasText: /^(completed|diverged)/ }).waitFor({ timeout: 180000 });
      await wv.locator('#recommendation', { hasText: /\d\.\de[-+]\d/ }).waitFor();
      const painted = await wv.locator('#range-chart').evaluate((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
        return n;
      });
      assert.ok(painted > 2000, `the curve is drawn (painted pixels: ${painted})`);
      console.log(`     ${await wv.locator('#run-status').textContent()}`);
      console.log(`     ${await wv.locator('#recommendation').textContent()}`);
      await sleep(500); // the last coalesced chart update
      await shot('range-test-panel.png');
      found.panel = true;
    });

    await check('the range test\'s run record exists on disk with the recommendation', ['panel'], async () => {
      const record = await until('a finished range-test record of the example', () =>
        records().find((r) => r.kind === 'range-test' && r.experiment.path.endsWith(path.join('examples', 'digits.experiment.ts')) && r.status !== 'running'),
      );
      assert.match(record.status, /^(completed|diverged)$/);
      assert.ok(record.points.length >= 10, `${record.points.length} points`);
      assert.equal(typeof record.recommendation.lr, 'number', record.recommendation.message);
      found.lr = record.recommendation.lr;
      console.log(`     ${path.basename(record.file)}: ${record.status}, ${record.points.length} points, recommended ${record.recommendation.lr} (${record.recommendation.method})`);
    });

    await check('the PyTorch script gets "Insert one-cycle (max_lr=…)" over its optimizer', ['lr'], async () => {
      await openFile('train.py');
      // the LR is the example's (train.py has no run of its own yet), and the lens says so; it names the
      // length the insertion read from the file
      await lens(`Insert one-cycle (max_lr=${formatLr(found.lr)} from digits, over epochs * len(train_loader) steps)`).first().waitFor({ timeout: 60000 });
      assert.equal(await lens('Insert one-cycle').count(), 1);
      await page.mouse.move(0, 0);
      await shot('codelens-pytorch.png');
      found.lens = true;
    });

    await check('clicking it inserts OneCycleLR with the recommended max_lr and scheduler.step(), unsaved', ['lens'], async () => {
      const file = path.join(workspace, 'train.py');
      const before = fs.readFileSync(file, 'utf8');
      await lens('Insert one-cycle').first().click();
      const text = await until('the schedule in the editor', async () => {
        const t = await editorText();
        return /OneCycleLR\(/.test(t) && /scheduler\.step\(\)/.test(t) ? t : null;
      });
      assert.equal(fs.readFileSync(file, 'utf8'), before, 'nothing is written to disk before the user saves');
      assert.match(text, /^from torch\.optim\.lr_scheduler import OneCycleLR$/m);
      await page.locator('.tab.active.dirty', { hasText: 'train.py' }).waitFor();
      // The lenses follow the edit: the insert lens gives way to one over the new scheduler.
      await lens(`max_lr matches the recommendation (${formatLr(found.lr)})`).first().waitFor();
      // "▶ Find LR" stays on the optimizer's line: VS Code updates that line's lens a moment later.
      await until('the insert lens to give way', async () => (await lens('Insert one-cycle').count()) === 0, 10000);
      await page.mouse.move(0, 0);
      await shot('inserted-schedule.png');

      await page.keyboard.press('Control+S');
      const saved = await until('train.py saved', () => {
        const t = fs.readFileSync(file, 'utf8');
        return t !== before ? t : null;
      });
      const m = saved.match(/^scheduler = OneCycleLR\(optimizer, max_lr=([0-9.eE+-]+), total_steps=total_steps\)$/m);
      assert.ok(m, `OneCycleLR(optimizer, max_lr=…, total_steps=total_steps) in:\n${saved}`);
      const written = Number(m[1]);
      assert.ok(Math.abs(written - found.lr) <= 1e-9 * found.lr, `max_lr=${m[1]} is the recommended ${found.lr}`);
      assert.match(saved, /^total_steps = epochs \* len\(train_loader\)$/m);
      assert.match(saved, /^        optimizer\.step\(\)\n        scheduler\.step\(\)$/m, 'scheduler.step() right after optimizer.step(), inside the batch loop');
      assert.equal(saved.match(/OneCycleLR\(/g).length, 1);
      console.log(`     max_lr=${m[1]} (recommended ${found.lr})`);
      // The inserted code is real PyTorch: run the script when torch is there (Debian python3-torch).
      const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
      if (probe.status === 0) {
        const run = spawnSync('/usr/bin/python3', [file], { encoding: 'utf8', timeout: 180000, cwd: workspace });
        assert.equal(run.status, 0, `python3 train.py failed:\n${run.stderr}`);
        console.log(`     python3 train.py ran with the schedule: ${run.stdout.trim().split('\n').pop()}`);
      } else {
        console.log('     (PyTorch is not installed here: the edited script was not run)');
      }
      found.inserted = saved;
    });

    await check('the TF.js experiment gets "▶ Range test" and "▶ Train one-cycle"', ['workbench'], async () => {
      await openFile('blobs.experiment.ts');
      await lens('▶ Range test').first().waitFor({ timeout: 60000 });
      // Bring the default export (line 34) into the middle of the view.
      await page.keyboard.press('Control+G');
      await page.locator('.quick-input-widget .quick-input-box input').fill(':42');
      await page.keyboard.press('Enter');
      await lens('▶ Train one-cycle').first().waitFor();
      await page.mouse.move(0, 0);
      await shot('codelens-experiment.png');
      found.experimentLens = true;
    });

    await check('the panel\'s Insert updates the schedule in the last active editor; again: already up to date', ['inserted'], async () => {
      await runCommand('LR Scope: Show Results');
      const wv = webview();
      const insert = wv.locator('#insert');
      await insert.waitFor({ state: 'visible' });
      await insert.evaluate((el) => el.scrollIntoView({ block: 'end' }));
      await sleep(500);
      await shot('schedule-panel.png');
      const panelLr = Number(await wv.locator('#max-lr').inputValue());
      assert.ok(panelLr > 0, 'the panel proposes a max LR');
      await insert.click();
      const notice = await until('a notice in the panel', async () => {
        const t = (await wv.locator('#notice').textContent()) || '';
        return /train\.py/.test(t) ? t : null;
      });
      console.log(`     notice: ${notice}`);
      assert.match(notice, /already up to date|Updated the pytorch schedule/);
      // Insert again: nothing left to change.
      await insert.click();
      await until('"already up to date" in the panel', async () => /already up to date/.test((await wv.locator('#notice').textContent()) || ''));
      // The panel kept the focus and opened the script beside itself: look at that editor.
      await page.locator('.tab', { hasText: 'train.py' }).last().click();
      const text = await editorText();
      const m = text.match(/OneCycleLR\(optimizer, max_lr=([0-9.eE+-]+),/);
      assert.ok(m, 'OneCycleLR(optimizer, max_lr=…) in the editor');
      // The field shows the recommendation rounded; the schedule keeps it at full precision.
      assert.ok(Math.abs(Number(m[1]) - found.lr) <= 1e-9 * found.lr, `max_lr=${m[1]} is the recommended ${found.lr}`);
      assert.ok(Math.abs(panelLr - found.lr) <= 5e-3 * found.lr, `the panel's Max LR ${panelLr} shows the recommended ${found.lr}`);
      assert.equal((text.match(/OneCycleLR\(/g) || []).length, 1, 'one scheduler, updated in place');
    });

    await check('Stop cancels a running range test and keeps the partial run as cancelled', ['experimentLens'], async () => {
      await openFile('wide.experiment.ts');
      await lens('▶ Range test').first().click();
      const wv = webview();
      await wv.locator('#run-status', { hasText: /^running · [1-9]/ }).waitFor({ timeout: 120000 });
      await wv.locator('#stop').click();
      await wv.locator('#run-status', { hasText: /^cancelled/ }).waitFor({ timeout: 60000 });
      const record = await until('the cancelled record of wide.experiment.ts', () =>
        records().find((r) => r.experiment.path === path.join(workspace, 'wide.experiment.ts') && r.status === 'cancelled'),
      );
      assert.ok(record.points.length >= 1 && record.points.length < 100, `${record.points.length} of 100 points kept`);
      console.log(`     ${path.basename(record.file)}: cancelled after ${record.points.length} steps (${record.statusDetail || ''})`);
      // The experiment's CodeLenses now show that last run.
      await page.locator('.tab', { hasText: 'wide.experiment.ts' }).first().click();
      const last = lens('last: ').first();
      await last.waitFor();
      console.log(`     lens: ${await last.textContent()}`);
      assert.match(await last.textContent(), /^last: .*(cancelled|\(\w+\)), (just now|\d+ min ago)$/);
    });

    await check('"▶ Find LR (run this script)" runs the range test on train.py itself; its lens then uses the new LR', ['workbench'], async () => {
      const script = path.join(workspace, 'train.py');
      // The script's own tab (the panel's tab is "LR Scope: train.py").
      const tab = page.locator('.tab').filter({ has: page.locator('.label-name', { hasText: /^train\.py$/ }) }).first();
      if ((await tab.count()) > 0) await tab.click();
      else await openFile('train.py');
      await lens('▶ Find LR (run this script)').first().click();
      // The command saves the script first when it has unsaved edits: compare with the saved text.
      const before = await until('train.py saved', async () => ((await page.locator('.tab.dirty', { hasText: 'train.py' }).count()) === 0 ? fs.readFileSync(script, 'utf8') : null));
      const wv = webview();
      await wv.locator('#title', { hasText: 'train.py' }).waitFor({ timeout: 120000 });
      await wv.locator('#run-status', { hasText: /^(completed|diverged)/ }).waitFor({ timeout: 180000 });
      await wv.locator('#recommendation', { hasText: /\d\.\de[-+]\d/ }).waitFor();
      const painted = await wv.locator('#range-chart').evaluate((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
        return n;
      });
      assert.ok(painted > 2000, `the curve is drawn (painted pixels: ${painted})`);
      console.log(`     ${await wv.locator('#run-status').textContent()}`);
      console.log(`     ${await wv.locator('#recommendation').textContent()}`);
      const record = await until('a finished PyTorch record of train.py', () =>
        records().find((r) => r.kind === 'range-test' && r.experiment.path === script && r.status !== 'running'),
      );
      assert.equal(record.environment.backend, 'pytorch');
      assert.match(record.status, /^(completed|diverged)$/);
      assert.equal(typeof record.recommendation.lr, 'number', record.recommendation.message);
      assert.equal(fs.readFileSync(script, 'utf8'), before, 'the script is not modified by probing');
      console.log(`     ${path.basename(record.file)}: ${record.status}, ${record.points.length} points, torch ${record.environment.libraryVersion}, recommended ${record.recommendation.lr}`);
      await sleep(500); // the last coalesced chart update
      await shot('pytorch-find-lr.png');
      // The script's lens now carries its own recommendation (insert, update, or "matches").
      await tab.click();
      const lr = formatLr(record.recommendation.lr);
      const tuned = page.locator('.monaco-editor .codelens-decoration a', { hasText: new RegExp(`(max_lr=|max_lr to |recommendation \\()${lr.replace(/[.+-]/g, '\\$&')}`) });
      await tuned.first().waitFor({ timeout: 30000 });
      console.log(`     lens: ${await tuned.first().textContent()}`);
    });
  } finally {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`e2e took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((err) => {
  console.error(err);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
