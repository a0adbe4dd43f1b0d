/**
 * The webview test harness: the panel's real HTML (src/extension/panel/html.ts, real CSP) served
 * over a loopback HTTP server with the bundle and the CSS, opened in Debian's Chromium by
 * playwright-core, with a stand-in for VS Code's webview host: `acquireVsCodeApi()` records what
 * the webview posts and keeps its state; `deliver()` dispatches host messages as VS Code does
 * (a `message` event on the window). CSP violations and console errors are collected.
 *
 * The bundle: `buildWebview()` bundles webview/main.ts with the same options as build.mjs's
 * webview target, into a temp folder, so the tests always run today's sources and do not depend
 * on the other targets of the build (run `node build.mjs` for dist/webview.js itself).
 */
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import assert from 'node:assert/strict';
import { after, afterEach, before } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderPanelHtml } from '../../../src/extension/panel/html';
import type { HostMessage, WebviewMessage } from '../../../src/protocol/webview';
import { THEMES, type ThemeName } from './themes';

const ROOT = join(__dirname, '..', '..', '..');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Bundles the webview (build.mjs's options: browser, iife, chart.js bundled) into a temp folder. */
export async function buildWebview(): Promise<{ file: string; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'lrscope-webview-'));
  await esbuild.build({
    absWorkingDir: ROOT,
    bundle: true,
    sourcemap: false,
    minify: false,
    logLevel: 'warning',
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    define: { 'process.env.LRSCOPE_VERSION': JSON.stringify('test') },
    entryPoints: { webview: 'webview/main.ts' },
    outdir: dir,
  });
  return { file: join(dir, 'webview.js'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Harness {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The nonces of the pages served so far (each render gets a fresh one). */
  nonces: string[];
  close(): Promise<void>;
}

/** Serves `/` (the panel HTML), `/dist/webview.js` and `/media/webview.css`; 404 for anything else. */
export async function startHarness(bundleFile: string): Promise<Harness> {
  const bundle = readFileSync(bundleFile);
  const css = readFileSync(join(ROOT, 'media', 'webview.css'));
  const nonces: string[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/') {
      const html = renderPanelHtml({ cspSource: origin, scriptUri: `${origin}/dist/webview.js`, styleUri: `${origin}/media/webview.css` });
      nonces.push(/nonce="([^"]+)"/.exec(html)?.[1] ?? '');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
    } else if (path === '/dist/webview.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(bundle);
    } else if (path === '/media/webview.css') {
      res.writeHead(200, { 'content-type': 'text/css; charset=utf-8' });
      res.end(css);
    } else if (path === '/favicon.ico') {
      res.writeHead(204).end(); // Chromium asks; VS Code's webview frame never does
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no server address');
  origin = `http://127.0.0.1:${address.port}`;
  return {
    origin,
    nonces,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * Runs in the page before any of its scripts: the VS Code stand-in, the theme, the CSP watch.
 * Plain JavaScript text (not a TypeScript function): tsx would add helpers the page lacks.
 */
function initScript(theme: { bodyClass: string; vars: Record<string, string> }, state: unknown): string {
  return `(() => {
  const posted = [];
  const problems = [];
  let state = ${JSON.stringify(state ?? null)};
  window.__posted = posted;
  window.__problems = problems;
  window.__state = () => state;
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: (m) => posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => state,
      setState: (s) => { state = JSON.parse(JSON.stringify(s)); },
    };
  };
  // VS Code delivers host messages as 'message' events on the window; synchronous here.
  window.__deliver = (messages) => {
    for (const data of messages) window.dispatchEvent(new MessageEvent('message', { data }));
  };
  document.addEventListener('securitypolicyviolation', (e) => {
    problems.push('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' at ' + e.sourceFile + ':' + e.lineNumber + ' ' + e.sample);
  });
  // As VS Code: theme variables on <html style> (through the CSSOM), the theme class on <body>.
  window.__applyTheme = (t) => {
    const html = document.documentElement;
    if (html) for (const [k, v] of Object.entries(t.vars)) html.style.setProperty(k, v);
    if (document.body) document.body.className = t.bodyClass;
    return Boolean(html && document.body);
  };
  const theme = ${JSON.stringify(theme)};
  if (!window.__applyTheme(theme)) {
    const observer = new MutationObserver(() => { if (window.__applyTheme(theme)) observer.disconnect(); });
    observer.observe(document, { childList: true, subtree: true });
  }
})();`;
}

export interface Panel {
  page: Page;
  /** Messages the webview posted, in order. */
  posted(): Promise<WebviewMessage[]>;
  /** Delivers host messages synchronously, in one task (so they coalesce into one render). */
  deliver(...messages: (HostMessage | unknown)[]): Promise<void>;
  /** Renders now if a render is pending; returns the render count. */
  flush(): Promise<number>;
  renderCount(): Promise<number>;
  /** Console errors and page errors seen so far (CSP violations: see `allProblems`). */
  problems(): string[];
  /** Forgets the problems seen so far (for a test that provokes one on purpose). */
  clearProblems(): Promise<void>;
  setTheme(name: ThemeName): Promise<void>;
  /** The state the webview saved with setState. */
  uiState(): Promise<unknown>;
  close(): Promise<void>;
}

export interface OpenOptions {
  theme?: ThemeName;
  /** What `getState()` returns at start (a previous session's UI state). */
  uiState?: unknown;
  viewport?: { width: number; height: number };
}

/** Opens the panel in a new page and waits for its `ready`. */
export async function openPanel(browser: Browser, harness: Harness, options: OpenOptions = {}): Promise<Panel> {
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1000, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript({ content: initScript(THEMES[options.theme ?? 'dark'], options.uiState) });
  await page.goto(harness.origin + '/');
  await page.waitForFunction(() => ((window as unknown as { __posted: { type: string }[] }).__posted ?? []).some((m) => m.type === 'ready'));
  return {
    page,
    posted: () => page.evaluate(() => (window as unknown as { __posted: WebviewMessage[] }).__posted.slice()),
    deliver: (...messages) => page.evaluate((m) => (window as unknown as { __deliver(m: unknown[]): void }).__deliver(m), messages),
    flush: () =>
      page.evaluate(() => {
        window.lrscopeDebug!.flush();
        return window.lrscopeDebug!.renderCount();
      }),
    renderCount: () => page.evaluate(() => window.lrscopeDebug!.renderCount()),
    problems: () => problems.slice(),
    clearProblems: async () => {
      problems.splice(0);
      await page.evaluate(() => void (window as unknown as { __problems: string[] }).__problems.splice(0));
    },
    setTheme: (name) => page.evaluate((t) => void (window as unknown as { __applyTheme(t: unknown): boolean }).__applyTheme(t), THEMES[name]),
    uiState: () => page.evaluate(() => (window as unknown as { __state(): unknown }).__state()),
    close: () => page.close(),
  };
}

/** CSP violations collected in the page plus console/page errors. */
export async function allProblems(panel: Panel): Promise<string[]> {
  const inPage = await panel.page.evaluate(() => (window as unknown as { __problems: string[] }).__problems.slice());
  return [...inPage, ...panel.problems()];
}

export const SHOTS_DIR = '/tmp/lrscope-webview-shots';

/**
 * The suite's panels: bundles the webview, starts the stand-in host and Chromium before the tests
 * and stops them after; `open()` opens a panel that is closed after its test, which fails on any CSP
 * violation or console error of any page it opened.
 */
export function panelSuite(): { open(options?: OpenOptions): Promise<Panel>; harness(): Harness } {
  let browser: Browser;
  let harness: Harness;
  let disposeBundle: () => void;
  const opened: Panel[] = [];
  before(async () => {
    const bundle = await buildWebview();
    disposeBundle = bundle.dispose;
    harness = await startHarness(bundle.file);
    browser = await launchBrowser();
    mkdirSync(SHOTS_DIR, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await harness?.close();
    disposeBundle?.();
  });
  afterEach(async () => {
    const problems: string[] = [];
    for (const panel of opened.splice(0)) {
      problems.push(...(await allProblems(panel)));
      await panel.close();
    }
    assert.deepEqual(problems, []);
  });
  return {
    open: async (options = {}) => {
      const panel = await openPanel(browser, harness, options);
      opened.push(panel);
      return panel;
    },
    harness: () => harness,
  };
}
