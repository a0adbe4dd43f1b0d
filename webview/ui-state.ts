/**
 * View-local UI choices, kept across panel reloads with `vscode.setState`. Never run data: the
 * host owns that and replays it. Anything unreadable in a stored state falls back to defaults.
 */
import type { Framework } from '../src/core/frameworks';
import type { PreviewFlavor } from '../src/protocol/webview';
import { PREVIEW_FLAVORS, WEBVIEW_FRAMEWORKS } from '../src/protocol/webview';

export interface UiState {
  /** Smoothing β chosen with the slider; null = the run's (default 0.98). */
  beta: number | null;
  /** Clip the y axis to the interesting part of the curve. */
  clip: boolean;
  /** Show the raw losses under the smoothed curve. */
  showRaw: boolean;
  /** LR picked on the curve of a run. */
  picked: { runId: string; lr: number } | null;
  flavor: PreviewFlavor | null;
  framework: Framework | null;
  /** Text typed in the max LR field; null = follow the picked LR, else the recommendation. */
  maxLr: string | null;
  epochs: string | null;
  stepsPerEpoch: string | null;
  /** Edited schedule fields, raw text, per flavor. */
  params: Partial<Record<PreviewFlavor, Record<string, string>>>;
}

export const DEFAULT_UI: UiState = {
  beta: null,
  clip: true,
  showRaw: true,
  picked: null,
  flavor: null,
  framework: null,
  maxLr: null,
  epochs: null,
  stepsPerEpoch: null,
  params: {},
};

function isRecordOfStrings(x: unknown): x is Record<string, string> {
  return typeof x === 'object' && x !== null && Object.values(x).every((v) => typeof v === 'string');
}

const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Reads a stored UI state, keeping each field only when it is well-formed. */
export function parseUiState(x: unknown): UiState {
  if (typeof x !== 'object' || x === null) return { ...DEFAULT_UI, params: {} };
  const o = x as Record<string, unknown>;
  const picked = o.picked as { runId?: unknown; lr?: unknown } | null | undefined;
  const params: UiState['params'] = {};
  if (typeof o.params === 'object' && o.params !== null) {
    for (const [k, v] of Object.entries(o.params)) {
      if ((PREVIEW_FLAVORS as readonly string[]).includes(k) && isRecordOfStrings(v)) params[k as PreviewFlavor] = { ...v };
    }
  }
  return {
    beta: typeof o.beta === 'number' && o.beta >= 0 && o.beta < 1 ? o.beta : null,
    clip: typeof o.clip === 'boolean' ? o.clip : DEFAULT_UI.clip,
    showRaw: typeof o.showRaw === 'boolean' ? o.showRaw : DEFAULT_UI.showRaw,
    picked:
      picked && typeof picked.runId === 'string' && typeof picked.lr === 'number' && picked.lr > 0 && Number.isFinite(picked.lr)
        ? { runId: picked.runId, lr: picked.lr }
        : null,
    flavor: (PREVIEW_FLAVORS as readonly unknown[]).includes(o.flavor) ? (o.flavor as PreviewFlavor) : null,
    framework: (WEBVIEW_FRAMEWORKS as readonly unknown[]).includes(o.framework) ? (o.framework as Framework) : null,
    maxLr: strOrNull(o.maxLr),
    epochs: strOrNull(o.epochs),
    stepsPerEpoch: strOrNull(o.stepsPerEpoch),
    params,
  };
}
