// During a run the panel keeps up with the status bar (both follow the run's one model at the host's
// pace), and the Runs view shows the run going from that model.
const assert = require('assert/strict');

/** Steps done as the status bar says ("LR Scope 12/100 · lr …"), or null when it shows none. */
function statusSteps(text) {
  const m = /LR Scope (\d+)\/\d+/.exec(text || '');
  return m ? Number(m[1]) : null;
}

/** Steps done as the panel says ("running · 12 / 100 steps"), or null. */
function panelSteps(text) {
  const m = /^running · (\d+) \/ \d+ steps/.exec(text || '');
  return m ? Number(m[1]) : null;
}

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

module.exports = async function (h) {
  const { check, until, openFile, webview, lens, shot, page, runCommand } = h;

  await check('during a run the panel shows the same step count as the status bar (within ~100 ms)', ['workbench'], async () => {
    await runCommand('LR Scope: Run Range Test on Example');
    const wv = webview();
    const status = page.locator('.statusbar-item', { hasText: /LR Scope \d+\/\d+/ }).first();
    const panelStatus = wv.locator('#run-status');
    await panelStatus.filter({ hasText: /^running · [1-9]/ }).waitFor({ timeout: 120000 });
    // Sample: the status bar, the panel, the status bar again. The panel is behind when it shows fewer
    // steps than the status bar showed before it was read.
    const samples = [];
    const t0 = Date.now();
    for (;;) {
      const before = statusSteps(await status.textContent({ timeout: 2000 }).catch(() => ''));
      const shown = panelSteps(await panelStatus.textContent());
      const after = statusSteps(await status.textContent({ timeout: 2000 }).catch(() => ''));
      if (before === null || shown === null || after === null) break;
      samples.push({ at: Date.now() - t0, before, shown, after });
    }
    assert.ok(samples.length >= 5, `sampled ${samples.length} times during the run (status bar "${await status.textContent().catch(() => '')}", panel "${await panelStatus.textContent()}")`);
    const first = samples[0];
    const last = samples[samples.length - 1];
    const msPerStep = (last.at - first.at) / Math.max(1, last.after - first.before);
    const behind = samples.map((s) => Math.max(0, s.before - s.shown));
    const ahead = samples.map((s) => Math.max(0, s.shown - s.after));
    const behindMs = behind.map((b) => b * msPerStep);
    console.log(
      `     ${samples.length} samples over ${last.at} ms at ${msPerStep.toFixed(0)} ms/step: the panel behind the status bar by ` +
        `median ${quantile(behind, 0.5)} steps (${quantile(behindMs, 0.5).toFixed(0)} ms), p90 ${quantile(behind, 0.9)} (${quantile(behindMs, 0.9).toFixed(0)} ms), ` +
        `max ${Math.max(...behind)}; ahead of it by max ${Math.max(...ahead)} steps`,
    );
    // The two follow one model at one pace; what separates them is the webview's render (one frame)
    // and the time the reads take. A second of lag (the old three copies) would be many steps here.
    assert.ok(quantile(behindMs, 0.5) <= 150, `median lag ${quantile(behindMs, 0.5).toFixed(0)} ms`);
    assert.ok(quantile(behindMs, 0.9) <= 300, `p90 lag ${quantile(behindMs, 0.9).toFixed(0)} ms`);
    await wv.locator('#run-status', { hasText: /^(completed|diverged)/ }).waitFor({ timeout: 120000 });
  });

  await check('the Runs view shows the run going (from its model) and then its saved record', ['workbench'], async () => {
    await runCommand('Explorer: Focus on LR Scope Runs View');
    // The experiment's own tab when an earlier journey left it open, else open it.
    const tab = page.locator('.tab').filter({ has: page.locator('.label-name', { hasText: /^wide\.experiment\.ts$/ }) }).first();
    if ((await tab.count()) > 0) await tab.click();
    else await openFile('wide.experiment.ts');
    await lens('▶ Range test').first().click();
    const wv = webview();
    await wv.locator('#run-status', { hasText: /^running · [1-9]/ }).waitFor({ timeout: 120000 });
    const row = page.locator('.monaco-list-row', { hasText: /wide.*running · \d+\/100 steps/ }).first();
    await row.waitFor({ timeout: 20000 });
    const seen = await row.textContent();
    console.log(`     runs view: ${seen}`);
    const steps = () => row.textContent().then((t) => Number(/running · (\d+)\//.exec(t)?.[1] ?? -1));
    const n = await steps();
    await until('the runs view row to follow the run', async () => (await steps()) > n, 20000);
    await shot('live-run.png', { light: true });
    // the screenshots take seconds (two theme switches): on a quiet machine the run may have ended by now
    if (/^running/.test((await wv.locator('#run-status').textContent()) || '')) {
      await wv.locator('#stop').click();
      await wv.locator('#run-status', { hasText: /^(cancelled|completed|diverged)/ }).waitFor({ timeout: 60000 });
    }
    await until('the live row to give way to the saved record', async () => (await page.locator('.monaco-list-row', { hasText: /running · \d+\/100 steps/ }).count()) === 0, 20000);
  });
};
