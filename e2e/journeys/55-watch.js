// Watch LR Log on a log that a background writer appends to: the live curve, the LR axis following
// the data, "watching · N steps", and the panel's Stop stops watching with the record on disk.
const fs = require('fs');
const path = require('path');
const assert = require('assert/strict');
const { spawn } = require('child_process');

module.exports = async function (h) {
  const { check, until, records, runCommand, webview, shot, workspace, page } = h;
  await check('Watch LR Log follows a growing log live; Stop stops watching and the record is on disk', ['workbench'], async () => {
    const log = path.join(workspace, 'growing_lr_log.csv');
    fs.writeFileSync(log, 'lr,loss\n');
    // 400 rows, one every 100 ms, LR from 1e-5 up (a descending loss: the watch does not end on its own)
    const writer = spawn(process.execPath, ['-e', `
      const fs = require('fs'); let i = 0;
      const t = setInterval(() => {
        const lr = 1e-5 * Math.pow(1.02, i); const loss = 2.3 - 1.5 / (1 + Math.exp(-(Math.log10(lr) + 3.5) * 3)) + 0.03 * Math.sin(i * 1.7);
        fs.appendFileSync(${JSON.stringify(log)}, lr + ',' + loss + '\\n');
        if (++i >= 400) clearInterval(t);
      }, 100);`], { stdio: 'ignore' });
    try {
      await runCommand('LR Scope: Watch LR Log…');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      // the open dialog lists the workspace folder: pick the log in it
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'growing_lr_log.csv' }).first().click();
      if (await input.isVisible()) await page.keyboard.press('Enter');
      const wv = webview();
      const status = wv.locator('#run-status');
      await status.filter({ hasText: /^watching · [1-9]\d* steps$/ }).waitFor({ timeout: 60000 });
      const axis = () => wv.locator('#range-chart').evaluate(() => window.lrscopeDebug.charts().range.x);
      const first = await until('the curve to reach 40 points', async () => {
        const m = /^watching · (\d+) steps$/.exec((await status.textContent()) || '');
        return m && Number(m[1]) >= 40 ? Number(m[1]) : null;
      });
      const early = await axis();
      assert.ok(early.max < 1e-3, `the LR axis spans the data (max ${early.max}), not 1e-7…10`);
      const later = await until('the curve and its axis to grow', async () => {
        const m = /^watching · (\d+) steps$/.exec((await status.textContent()) || '');
        const x = await axis();
        return m && Number(m[1]) >= first + 40 && x.max > early.max * 2 ? { steps: Number(m[1]), x } : null;
      });
      console.log(`     ${first} steps: x ${early.min.toExponential(1)}…${early.max.toExponential(1)}; ${later.steps} steps: x …${later.x.max.toExponential(1)}`);
      await shot('watch-log.png');
      const stop = wv.locator('#stop');
      assert.equal(await stop.isEnabled(), true);
      await stop.click();
      await status.filter({ hasText: /^completed · \d+ steps — stopped watching after \d+ points$/ }).waitFor({ timeout: 30000 });
      const record = await until('the closed record of the watched log', () => records().find((r) => r.experiment.path === log && r.status === 'completed'));
      assert.equal(record.environment.backend, 'log');
      assert.equal(record.options.log, 'watched');
      assert.ok(record.points.length >= later.steps, `${record.points.length} points saved`);
      const stoppedAt = record.points.length;
      await h.sleep(1500);
      const again = records().find((r) => r.file === record.file);
      assert.equal(again.points.length, stoppedAt, 'no point is taken after Stop');
      console.log(`     ${path.basename(record.file)}: ${record.points.length} points, ${record.statusDetail}`);
    } finally {
      writer.kill();
    }
  });
};
