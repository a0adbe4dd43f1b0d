// The bundled example's range test, its record, and the schedule inserted into train.py by the CodeLens and by the panel.
const fs = require('fs');
const path = require('path');
const assert = require('assert/strict');
const { spawnSync } = require('child_process');

module.exports = async function (h) {
  const { check, until, records, formatLr, runCommand, openFile, editorText, webview, lens, shot, found, workspace, sleep, page } = h;
  await check('"Run Range Test on Example" shows the live curve and the recommendation', ['workbench'], async () => {
    await runCommand('LR Scope: Run Range Test on Example');
    const wv = webview();
    await wv.locator('#range-chart').waitFor({ timeout: 90000 });
    await wv.locator('#run-status', { hasText: /^(completed|diverged)/ }).waitFor({ timeout: 180000 });
    await wv.locator('#recommendation', { hasText: /\d\.\de[-+]\d/ }).waitFor();
    const painted = await h.painted(wv.locator('#range-chart'));
    assert.ok(painted > 2000, `the curve is drawn (painted pixels: ${painted})`);
    console.log(`     ${await wv.locator('#run-status').textContent()}`);
    console.log(`     ${await wv.locator('#recommendation').textContent()}`);
    await sleep(500); // the last coalesced chart update
    await shot('range-test-panel.png', { light: true });
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
    await lens(`max_lr matches the recommendation (${formatLr(found.lr)} from digits)`).first().waitFor();
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
    // the number written is the recommendation rounded to two significant digits, as the lens showed it
    const written = Number(m[1]);
    assert.equal(written, Number(found.lr.toPrecision(2)), `max_lr=${m[1]} is the recommended ${found.lr}, rounded`);
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
    // The field shows the recommendation rounded to two significant digits, and that very number is written.
    const rounded = Number(found.lr.toPrecision(2));
    assert.equal(Number(m[1]), rounded, `max_lr=${m[1]} is the recommended ${found.lr}, rounded`);
    assert.equal(panelLr, rounded, `the panel's Max LR ${panelLr} shows the recommended ${found.lr}, rounded`);
    assert.equal((text.match(/OneCycleLR\(/g) || []).length, 1, 'one scheduler, updated in place');
  });
};
