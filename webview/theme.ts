/**
 * Chart colours, read from VS Code's `--vscode-*` CSS variables so light, dark and high-contrast
 * themes are all readable. chart.js draws on a canvas and cannot use CSS variables itself, so the
 * values are read with getComputedStyle and re-read when VS Code switches the body's theme class.
 */

export interface Palette {
  foreground: string;
  muted: string;
  background: string;
  grid: string;
  /** Focus/highlight colour: the picked LR and the recommended marker's ring. */
  accent: string;
  /** Series colours, in order (blue, orange, green, purple, red, yellow). */
  series: string[];
  /** True for the high-contrast themes: thicker lines. */
  highContrast: boolean;
}

/** Where each palette entry comes from, first variable that is set wins. */
const SOURCES = {
  foreground: ['--vscode-editor-foreground', '--vscode-foreground'],
  muted: ['--vscode-descriptionForeground', '--vscode-foreground'],
  background: ['--vscode-editor-background'],
  grid: ['--vscode-charts-lines', '--vscode-panel-border', '--vscode-widget-border'],
  accent: ['--vscode-charts-yellow', '--vscode-focusBorder'],
} as const;

const SERIES = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-purple',
  '--vscode-charts-red',
  '--vscode-charts-yellow',
] as const;

/** Reads the palette from the document's computed style (`fallback` when a variable is unset). */
export function readPalette(doc: Document = document, fallback = 'CanvasText'): Palette {
  const style = getComputedStyle(doc.documentElement);
  const bodyStyle = getComputedStyle(doc.body);
  const read = (names: readonly string[]): string | undefined => {
    for (const name of names) {
      const v = (bodyStyle.getPropertyValue(name) || style.getPropertyValue(name)).trim();
      if (v) return v;
    }
    return undefined;
  };
  const foreground = read(SOURCES.foreground) ?? fallback;
  const series = SERIES.map((name) => read([name]) ?? foreground);
  return {
    foreground,
    muted: read(SOURCES.muted) ?? foreground,
    background: read(SOURCES.background) ?? 'Canvas',
    grid: read(SOURCES.grid) ?? withAlpha(foreground, 0.2),
    accent: read(SOURCES.accent) ?? foreground,
    series,
    highContrast: doc.body.classList.contains('vscode-high-contrast') || doc.body.classList.contains('vscode-high-contrast-light'),
  };
}

/**
 * The colour with the given opacity: `#rgb`/`#rrggbb` get an alpha byte, `rgb()` becomes `rgba()`;
 * anything else (a named colour) is returned unchanged.
 */
export function withAlpha(color: string, alpha: number): string {
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 255)
    .toString(16)
    .padStart(2, '0');
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color);
  if (hex) {
    const h = hex[1]!;
    const full = h.length === 3 ? h.split('').map((c) => c + c).join('') : h;
    return `#${full}${a}`;
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(color);
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`;
  return color;
}

/** Calls `onChange` whenever VS Code changes the theme (body class or the html style variables). */
export function watchTheme(onChange: () => void, doc: Document = document): () => void {
  let last = doc.body.className + '|' + (doc.documentElement.getAttribute('style') ?? '');
  const observer = new MutationObserver(() => {
    const now = doc.body.className + '|' + (doc.documentElement.getAttribute('style') ?? '');
    if (now !== last) {
      last = now;
      onChange();
    }
  });
  observer.observe(doc.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(doc.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
}
