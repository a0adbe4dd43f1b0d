// Insert Schedule… on a script that says how long it trains: it asks only the max LR (offered
// rounded, named by the run and model it came from), applies without a modal, offers Undo,
// re-applying says "already up to date" without a modal; the panel's Copy says what it copied and
// its Insert lands in the script's own editor, without a new editor group.
const fs = require('fs');
const path = require('path');
const assert = require('assert/strict');

// The script is e2e/fixtures/moons.py (run.sh copies it into the workspace): 5,120 examples in
// batches of 64, 80 batches per epoch, for `n_epochs = 5`.

module.exports = async function (h) {
  const { check, until, records, runCommand, openFile, editorText, webview, shot, found, workspace, sleep, page } = h;
  const quick = page.locator('.quick-input-widget');
  const toasts = page.locator('.notifications-toasts .notification-toast');
  const modals = page.locator('.monaco-dialog-box');
  const toast = (re) => toasts.filter({ hasText: re }).last();
  // the newest finished range test of the example (an earlier journey may have run it more than once)
  const exampleRun = () =>
    records()
      .filter((r) => r.kind === 'range-test' && r.experiment.path.endsWith(path.join('examples', 'digits.experiment.ts')) && r.status !== 'running' && typeof r.recommendation?.lr === 'number')
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];

  await check('Insert Schedule… on a script that says its epochs asks only the max LR, named by its run and model', ['workbench'], async () => {
    if (!exampleRun()) {
      // this journey alone (E2E_ONLY=40): an LR to offer comes from the bundled example's range test
      await runCommand('LR Scope: Run Range Test on Example');
      await webview().locator('#run-status', { hasText: /^(completed|diverged)/ }).waitFor({ timeout: 240000 });
    }
    const run = await until('the example\'s finished range test', exampleRun, 60000);
    const rounded = Number(run.recommendation.lr.toPrecision(2));
    found.insert = { runId: run.id, lr: run.recommendation.lr, rounded };
    await openFile('moons.py');
    await runCommand('Notifications: Clear All Notifications');
    await runCommand('LR Scope: Insert Schedule…');
    await quick.locator('.quick-input-box input').waitFor({ state: 'visible' });
    const title = (await quick.locator('.quick-input-title').textContent()) || '';
    const prompt = (await quick.locator('.quick-input-message').textContent()) || '';
    console.log(`     asked: "${title}" — ${prompt}`);
    assert.equal(title, 'LR Scope: Insert Schedule: maximum learning rate', 'one question, no step counter, no epochs or steps asked');
    assert.ok(prompt.startsWith(`Recommended by run ${run.id} of digits (not a run of moons.py); edit it if you like.`), prompt);
    assert.equal(Number(await quick.locator('.quick-input-box input').inputValue()), rounded, 'the LR offered rounded to two significant digits');
    // the prompt as it is, dark then light (the theme picker closes it: it is asked again in each theme)
    await shot('insert-asks-max-lr.png', { keepToasts: true });
    await page.keyboard.press('Escape');
    for (const [theme, dark, name] of [['Default Light Modern', false, 'insert-asks-max-lr-light.png'], ['Default Dark Modern', true, null]]) {
      await h.setTheme(theme, dark);
      await runCommand('LR Scope: Insert Schedule…');
      await quick.locator('.quick-input-title', { hasText: 'maximum learning rate' }).waitFor();
      if (name) {
        await sleep(300);
        await shot(name, { keepToasts: true });
        await page.keyboard.press('Escape');
      }
    }
    assert.equal(await page.locator('.tab.active.dirty').count(), 0, 'Escape inserted nothing');
    await page.keyboard.press('Enter');
    const done = toast(/Inserted a pytorch schedule into moons\.py/);
    await done.waitFor({ timeout: 30000 });
    assert.equal(await quick.locator('.quick-input-box input').isVisible(), false, 'nothing else is asked');
    assert.equal(await modals.count(), 0, 'no modal dialog');
    const message = (await done.locator('.notification-list-item-message').textContent()) || '';
    console.log(`     ${message}`);
    assert.ok(message.includes(`(max_lr=${h.formatLr(rounded)} from digits, run ${run.id})`), message);
    assert.equal(await done.locator('.monaco-button', { hasText: 'Undo' }).count(), 1, 'Undo offered');
    const text = await editorText();
    assert.ok(text.includes(`scheduler = OneCycleLR(optimizer, max_lr=${rounded}, total_steps=total_steps)`), text);
    assert.match(text, /^total_steps = n_epochs \* len\(loader\)$/m);
    await page.mouse.move(0, 0);
    await shot('insert-notification.png', { keepToasts: true });
    found.insertToast = true;
  });

  await check('Undo in the notification reverts it in one step; inserting again, then re-applying, shows no modal: "already up to date"', ['insertToast'], async () => {
    let done = toast(/Inserted a pytorch schedule into moons\.py/);
    await done.locator('.monaco-button', { hasText: 'Undo' }).click();
    await until('the insertion undone', async () => !/OneCycleLR|scheduler/.test(await editorText()));
    // back to the text on disk: one undo step took the whole insertion away
    await page.locator('.tab.active:not(.dirty)', { hasText: 'moons.py' }).waitFor();
    for (const round of ['insert', 're-apply']) {
      await runCommand('LR Scope: Insert Schedule…');
      await quick.locator('.quick-input-title', { hasText: 'maximum learning rate' }).waitFor();
      await page.keyboard.press('Enter');
      done = toast(round === 'insert' ? /Inserted a pytorch schedule into moons\.py/ : /already up to date/);
      await done.waitFor({ timeout: 30000 });
      assert.equal(await modals.count(), 0, `no modal dialog (${round})`);
    }
    console.log(`     ${await done.locator('.notification-list-item-message').textContent()}`);
    assert.equal(await done.locator('.monaco-button', { hasText: 'Undo' }).count(), 0, 'nothing to undo');
    assert.equal(((await editorText()).match(/OneCycleLR\(/g) || []).length, 1);
    found.reinserted = true;
  });

  await check('the panel\'s Copy says what it copied and where its LR comes from; its Insert lands in moons.py\'s editor, no new group', ['reinserted'], async () => {
    await h.runCommand('Notifications: Clear All Notifications');
    // the example's range test in the panel: the latest results, or (after other journeys) a new run of it
    await runCommand('LR Scope: Show Results');
    const wv = webview();
    await wv.locator('#title').waitFor({ timeout: 30000 });
    if (!/^digits/.test((await wv.locator('#title').textContent()) || '')) {
      await runCommand('LR Scope: Run Range Test on Example');
      await wv.locator('#title', { hasText: /^digits/ }).waitFor({ timeout: 120000 });
      await wv.locator('#run-status', { hasText: /^(completed|diverged)/ }).waitFor({ timeout: 240000 });
    }
    const copy = wv.locator('#copy');
    await copy.waitFor({ state: 'visible', timeout: 30000 });
    const groups = await page.locator('.editor-group-container').count();
    await wv.locator('#max-lr').fill('0.05');
    await copy.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await copy.click();
    const copied = await until('the Copy notice', async () => {
      const t = (await wv.locator('#notice').textContent()) || '';
      return /^Copied/.test(t) ? t : null;
    });
    console.log(`     notice: ${copied}`);
    assert.match(copied, /^Copied the pytorch one-cycle schedule \(max_lr=5\.0e-2 typed; run \S+ of \w+: (it recommends \d\.\de[-+]\d+|\d\.\de[-+]\d+ was picked on its curve)\) to the clipboard: \d+ lines\.$/);
    assert.ok(await wv.locator('#notice').isVisible(), 'the notice is in view beside the buttons (sticky)');
    await sleep(300);
    await shot('panel-copy-notice.png', { light: true });

    // an update the script does not have yet: 0.05 (the panel's Insert goes to the editor the user came from: moons.py)
    await wv.locator('#insert').click();
    const updated = await until('the update notice', async () => {
      const t = (await wv.locator('#notice').textContent()) || '';
      return /moons\.py/.test(t) ? t : null;
    });
    console.log(`     notice: ${updated}`);
    assert.match(updated, /^Updated the pytorch schedule in moons\.py \(max_lr=5\.0e-2 typed; run \S+ of \w+: [^()]+\): /);
    assert.equal(await page.locator('.editor-group-container').count(), groups, 'no new editor group');
    await page.locator('.tab').filter({ has: page.locator('.label-name', { hasText: /^moons\.py$/ }) }).first().click();
    const text = await editorText();
    assert.ok(text.includes('scheduler = OneCycleLR(optimizer, max_lr=0.05, total_steps=total_steps)'), text);
    assert.equal((text.match(/OneCycleLR\(/g) || []).length, 1, 'updated in place');
  });
};
