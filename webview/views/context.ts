/** What every view gets from the app. */
import type { ReplyMessage, RequestBody, WebviewMessage } from '../../src/protocol/webview';
import type { Palette } from '../theme';
import type { UiState } from '../ui-state';
import type { SeriesChart } from '../charts/series-chart';

export interface ViewContext {
  readonly ui: UiState;
  palette(): Palette;
  /** Persist `ui` (vscode.setState). */
  saveUi(): void;
  post(message: WebviewMessage): void;
  /** Asks the host to do something and resolves with its one reply (the app shows its message). */
  request(body: RequestBody): Promise<ReplyMessage>;
  /** Ask for a coalesced re-render of the whole view. */
  requestRender(): void;
}

/** What can be exported from a view. */
export interface ViewExport {
  /** Base of the file names. */
  label: string;
  chart: SeriesChart | null;
  csv(): string;
  json(): string;
}

export interface View {
  readonly root: HTMLElement;
  /** Brings the DOM and charts up to date with the (mutated) state. */
  update(): void;
  /** Theme changed: re-colour the charts (an update follows). */
  setPalette(palette: Palette): void;
  exports(): ViewExport;
  /** The charts, by name (tests and the benchmark read them). */
  charts(): Record<string, SeriesChart>;
  dispose(): void;
}
