/**
 * The HTML of the LR Scope webview panel (DESIGN.md, "Webview"): a pure function of the URIs the
 * panel resolves. A strict Content Security Policy: nothing by default, the one script only with a
 * fresh nonce, styles and images only from the extension's own resources, no inline styles or
 * scripts, no network. The browser app (`dist/webview.js`) builds the page from there.
 *
 * chart.js sizes its canvas through the CSSOM (`canvas.style.width = …`), which `style-src` does not
 * govern (only `style` attributes in markup, `setAttribute('style')` and `<style>` elements are), so
 * no `'unsafe-inline'` is needed; the Playwright tests fail on any CSP violation to keep it so.
 */

export interface PanelHtmlOptions {
  /**
   * `webview.cspSource`: the source(s) the webview may load the extension's resources from, e.g.
   * `'self' https://*.vscode-cdn.net` (VS Code 1.100). Space-separated host or scheme sources and
   * the keyword `'self'`; anything else is refused.
   */
  cspSource: string;
  /** URI of `dist/webview.js` as the webview sees it (`webview.asWebviewUri`). */
  scriptUri: string;
  /** URI of `media/webview.css` as the webview sees it. */
  styleUri: string;
  /** Per-render nonce; defaults to a fresh random one. Tests pass their own. */
  nonce?: string;
  /** Document title (not shown by VS Code, used by screen readers). */
  title?: string;
}

/** A fresh nonce: 24 random bytes, base64url (no characters that need escaping in HTML or CSP). */
export function makeNonce(): string {
  const bytes = new Uint8Array(24);
  globalThis.crypto.getRandomValues(bytes);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The Content-Security-Policy the panel is rendered with, for a given source and nonce. */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const NONCE_RE = /^[A-Za-z0-9_-]{16,}$/;
/** One CSP source expression we accept: `'self'`, or a host/scheme source without quotes, `;` or `,`. */
const SOURCE_RE = /^(?:'self'|[A-Za-z0-9*][^\s;,'"]*)$/;

/** True when `cspSource` is a list of source expressions that cannot break out of its directive. */
export function isSafeCspSource(cspSource: string): boolean {
  const parts = cspSource.trim().split(/[ \t]+/);
  return parts.length > 0 && parts.every((p) => SOURCE_RE.test(p));
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Renders the panel's HTML document. Every call gets its own nonce unless one is given; a given
 * nonce must be ≥ 16 characters of base64url. URIs are attribute-escaped; `cspSource` is spliced
 * into the policy, so it must pass {@link isSafeCspSource} (else this throws).
 */
export function renderPanelHtml(options: PanelHtmlOptions): string {
  const nonce = options.nonce ?? makeNonce();
  if (!NONCE_RE.test(nonce)) throw new Error('renderPanelHtml: the nonce must be ≥ 16 base64url characters');
  if (!isSafeCspSource(options.cspSource)) throw new Error(`renderPanelHtml: invalid cspSource ${JSON.stringify(options.cspSource)}`);
  const title = escapeAttr(options.title ?? 'LR Scope');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(panelCsp(options.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(options.styleUri)}">
<title>${title}</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="placeholder">Loading LR Scope…</p></main>
<script nonce="${nonce}" src="${escapeAttr(options.scriptUri)}"></script>
</body>
</html>
`;
}
