// "▶ Train" on a PyTorch script: Train with Schedule… through the probe (one step counter, the
// optimizer steps named from the file), the panel shows the run, the record on disk holds the
// one-cycle LR of every step, and "Insert This Schedule" writes that schedule into the script.
const fs = require('fs');
const path = require('path');
const assert = require('assert/strict');

// The script is e2e/fixtures/spirals.py (run.sh copies it into the workspace): 640 examples in
// batches of 32, 20 batches per epoch, 4 epochs: 80 optimizer steps.

/** PyTorch OneCycleLR (cos, two phases) at step i: the LR the probe must have set. */
function oneCycleLr(spec, i) {
  const pct = spec.pctStart ?? 0.3;
  const div = spec.divFactor ?? 25;
  const finalDiv = spec.finalDivFactor ?? 1e4;
  const initial = spec.maxLr / div;
  const min = initial / finalDiv;
  const up = pct * spec.totalSteps - 1;
  const end = spec.totalSteps - 1;
  const cos = (from, to, f) => to + ((from - to) / 2) * (1 + Math.cos(Math.PI * f));
  return i <= up ? cos(initial, spec.maxLr, i / up) : cos(spec.maxLr, min, (i - up) / (end - up));
}

module.exports = async function (h) {
  const { check, until, records, openFile, editorText, webview, lens, shot, found, workspace, sleep, page } = h;
  const quick = page.locator('.quick-input-widget');
  const input = quick.locator('.quick-input-box input');
  const script = path.join(workspace, 'spirals.py');

  await check('"▶ Train" on a PyTorch script asks schedule, max LR and optimizer steps (1/3…3/3), the steps named from the file', ['workbench'], async () => {
    await openFile('spirals.py');
    await lens('▶ Train').first().waitFor({ timeout: 60000 });
    assert.equal(await lens('▶ Find LR (run this script)').count(), 1, '"▶ Train" sits beside "▶ Find LR"');
    // with a range test on disk (the example's, from an earlier journey) the insert lens names it too
    if (records().some((r) => r.kind === 'range-test' && typeof r.recommendation?.lr === 'number')) await lens('Insert one-cycle').first().waitFor({ timeout: 30000 });
    await page.mouse.move(0, 0);
    await shot('codelens-train-pytorch.png');
    await h.runCommand('Notifications: Clear All Notifications');
    await lens('▶ Train').first().click();
    const title = () => quick.locator('.quick-input-title').textContent();
    await until('the schedule question', async () => /\(1\/3\): schedule$/.test((await title()) || ''));
    await page.keyboard.press('Enter'); // One-cycle (PyTorch OneCycleLR): the setting's flavor first
    await until('the max LR question', async () => /\(2\/3\): maximum learning rate$/.test((await title()) || ''));
    console.log(`     ${await title()} — ${await quick.locator('.quick-input-message').textContent()}`);
    await input.fill('0.05');
    await page.keyboard.press('Enter');
    await until('the steps question', async () => /\(3\/3\): optimizer steps$/.test((await title()) || ''));
    const prompt = (await quick.locator('.quick-input-message').textContent()) || '';
    console.log(`     ${await title()} — ${prompt}`);
    assert.match(prompt, /^spirals\.py takes epochs \* len\(train_loader\) optimizer steps \(epochs \(line \d+\) × len\(train_loader\) batches \(line \d+\)\)/);
    await input.fill('80');
    await sleep(300);
    // keepToasts: dismissing notifications goes through the palette, which would close this prompt
    await shot('train-asks-steps.png', { keepToasts: true });
    await page.keyboard.press('Enter');
    await until('the prompt answered', async () => !(await input.isVisible()));
    found.trainStarted = true;
  });

  await check('the panel shows the training run; its record holds the one-cycle LR of each of the 80 steps', ['trainStarted'], async () => {
    const wv = webview();
    await wv.locator('#title', { hasText: 'spirals.py' }).waitFor({ timeout: 120000 });
    await wv.locator('#run-status', { hasText: /^completed/ }).waitFor({ timeout: 240000 });
    console.log(`     ${await wv.locator('#run-status').textContent()}`);
    const record = await until('the completed training record of spirals.py', () =>
      records().find((r) => r.kind === 'train' && r.experiment.path === script && r.status === 'completed'),
    );
    assert.equal(record.environment.backend, 'pytorch');
    assert.deepEqual(record.schedule, { policy: 'onecycle', flavor: 'pytorch', maxLr: 0.05, totalSteps: 80 });
    assert.equal(record.points.length, 80);
    for (const p of record.points) {
      const want = oneCycleLr(record.schedule, p.step);
      assert.ok(Math.abs(p.lr - want) <= 1e-9 * want, `step ${p.step}: lr ${p.lr}, one-cycle ${want}`);
    }
    console.log(`     ${path.basename(record.file)}: ${record.points.length} steps, lr ${record.points[0].lr.toExponential(2)} → ${Math.max(...record.points.map((p) => p.lr))} → ${record.points.at(-1).lr.toExponential(2)}, torch ${record.environment.libraryVersion}`);
    await sleep(500);
    found.trainRecord = record;
    // the panel with the notification (and its button) as they are, dark and light
    await shot('train-pytorch-done.png', { light: true, keepToasts: true });
  });

  await check('"Insert This Schedule" after the run writes the schedule it trained with into the script', ['trainRecord'], async () => {
    const done = page.locator('.notifications-toasts .notification-toast').filter({ hasText: /training completed: 80 steps/ }).last();
    await done.waitFor({ timeout: 30000 });
    await done.locator('.monaco-button', { hasText: 'Insert This Schedule' }).click();
    const inserted = page.locator('.notifications-toasts .notification-toast').filter({ hasText: /Inserted a pytorch schedule into spirals\.py/ }).last();
    await inserted.waitFor({ timeout: 30000 });
    const message = (await inserted.locator('.notification-list-item-message').textContent()) || '';
    console.log(`     ${message}`);
    assert.ok(message.includes(`(the schedule training run ${found.trainRecord.id} used)`), message);
    // the script's own tab (the panel's is "LR Scope: training spirals.py")
    await page.locator('.tab').filter({ has: page.locator('.label-name', { hasText: /^spirals\.py$/ }) }).first().click();
    const text = await until('the schedule in spirals.py', async () => {
      const t = await editorText();
      return /OneCycleLR\(/.test(t) ? t : null;
    });
    assert.ok(text.includes('scheduler = OneCycleLR(optimizer, max_lr=0.05, total_steps=total_steps)'), text);
    assert.match(text, /^total_steps = epochs \* len\(train_loader\)$/m);
    await page.mouse.move(0, 0);
    await shot('train-inserted.png', { light: true });
  });
};
