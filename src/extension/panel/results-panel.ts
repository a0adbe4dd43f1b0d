/**
 * The results webview panel (viewType `lrScope.results`): one panel, revealed again when it
 * exists. The HTML comes from `html.ts` (strict CSP, nonce), the state logic from
 * `PanelController`; this class only binds them to vscode: messages, visibility, disposal, and the
 * source saved in workspace state so the serializer can restore the panel after a reload.
 */
import * as vscode from 'vscode';
import type { PanelState } from '../../protocol/webview';
import { renderPanelHtml } from './html';
import type { LiveRun } from '../../host/live-run';
import { liveState, PanelController, type LiveRunView, type PanelActions } from './panel-controller';
import { isPanelSource, type PanelSource } from './panel-source';

export const RESULTS_VIEW_TYPE = 'lrScope.results';
const SOURCE_KEY = 'lrScope.panelSource';

export class ResultsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private controller: PanelController | undefined;
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly actions: PanelActions,
  ) {}

  /** The live controller (for streaming), or undefined when the panel is closed. */
  get current(): PanelController | undefined {
    return this.controller;
  }

  /** The source saved for the last panel (restored after a reload). */
  get savedSource(): PanelSource | undefined {
    const saved: unknown = this.context.workspaceState.get(SOURCE_KEY);
    return isPanelSource(saved) ? saved : undefined;
  }

  /** Shows `state` (creating or revealing the panel) and remembers `source` for restoring it. */
  show(state: PanelState, source: PanelSource, options: { preserveFocus?: boolean } = {}): PanelController {
    const controller = this.open(state, source, options);
    controller.show(state);
    return controller;
  }

  /** Shows a live run: the panel follows its model (a reload restores its record). */
  showLive(run: LiveRun, view: LiveRunView, options: { preserveFocus?: boolean } = {}): PanelController {
    const controller = this.open(liveState(run, view), { kind: 'records', paths: [run.recordPath] }, options);
    controller.showLive(run, view);
    return controller;
  }

  /** The panel, created or revealed, titled for `state`; a new one starts from `state`. */
  private open(state: PanelState, source: PanelSource, options: { preserveFocus?: boolean }): PanelController {
    void this.context.workspaceState.update(SOURCE_KEY, source);
    if (this.panel && this.controller) {
      this.panel.reveal(undefined, options.preserveFocus ?? false);
      this.panel.title = titleOf(state);
      return this.controller;
    }
    const panel = vscode.window.createWebviewPanel(
      RESULTS_VIEW_TYPE,
      titleOf(state),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: options.preserveFocus ?? false },
      this.webviewOptions(),
    );
    return this.adopt(panel, state);
  }

  /** Takes over a panel VS Code restored after a reload (serializer), showing `state`. */
  restore(panel: vscode.WebviewPanel, state: PanelState): PanelController {
    panel.webview.options = this.webviewOptions();
    panel.title = titleOf(state);
    return this.adopt(panel, state);
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist'), vscode.Uri.joinPath(this.context.extensionUri, 'media')],
      enableFindWidget: false,
    };
  }

  private adopt(panel: vscode.WebviewPanel, state: PanelState): PanelController {
    this.panel?.dispose();
    const webview = panel.webview;
    const controller = new PanelController((message) => void webview.postMessage(message), this.actions, state);
    this.panel = panel;
    this.controller = controller;
    webview.html = panelHtml(webview, this.context.extensionUri);
    const subscriptions = [
      webview.onDidReceiveMessage((message: unknown) => void controller.receive(message)),
      panel.onDidChangeViewState((e) => controller.setVisible(e.webviewPanel.visible)),
      panel.onDidDispose(() => {
        controller.dispose();
        if (this.panel === panel) {
          this.panel = undefined;
          this.controller = undefined;
          void this.context.workspaceState.update(SOURCE_KEY, undefined);
        }
        for (const d of subscriptions) d.dispose();
      }),
    ];
    return controller;
  }
}

function titleOf(state: PanelState): string {
  switch (state.view) {
    case 'empty':
      return 'LR Scope';
    case 'range-test':
      return `LR Scope: ${state.run.label}`;
    case 'training':
      return `LR Scope: training ${state.run.label}`;
    case 'compare':
      return `LR Scope: compare ${state.runs.length} runs`;
    case 'schedule':
      return 'LR Scope: schedule';
  }
}

/**
 * The panel's HTML. VS Code's `cspSource` is `'self' https://*.vscode-cdn.net` (a quoted keyword and
 * a host pattern); should the renderer refuse the keyword, the host pattern alone still covers the
 * extension's resources (`asWebviewUri` serves them from that host).
 */
function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const options = {
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css')).toString(),
    title: 'LR Scope',
  };
  try {
    return renderPanelHtml(options);
  } catch (err) {
    const hosts = webview.cspSource.split(/\s+/).filter((s) => s !== '' && !/['";,]/.test(s)).join(' ');
    if (hosts === '' || hosts === webview.cspSource) throw err;
    return renderPanelHtml({ ...options, cspSource: hosts });
  }
}
