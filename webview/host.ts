/**
 * The webview's side of the host connection: posts typed messages, receives and validates the
 * host's (invalid ones are dropped and reported back), and keeps the view-local UI state.
 */
import type { HostMessage, WebviewMessage } from '../src/protocol/webview';
import { describeMessage, isHostMessage } from '../src/protocol/webview';

/** The object VS Code injects as `acquireVsCodeApi()` (only what we use). */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): VsCodeApi;
}

export class HostConnection {
  private dropped = 0;

  constructor(private readonly api: VsCodeApi) {}

  /** Number of invalid host messages dropped so far. */
  get droppedCount(): number {
    return this.dropped;
  }

  post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  getUiState(): unknown {
    return this.api.getState();
  }

  setUiState(state: unknown): void {
    this.api.setState(state);
  }

  /** Calls `onMessage` with every valid host message; drops and reports the rest. */
  listen(onMessage: (message: HostMessage) => void, target: Window = window): void {
    target.addEventListener('message', (event: MessageEvent<unknown>) => {
      const data = event.data;
      if (!isHostMessage(data)) {
        this.dropped += 1;
        const text = `dropped an invalid message from the host (${describeMessage(data)})`;
        console.warn(`LR Scope: ${text}`);
        this.post({ type: 'log', level: 'warn', message: text });
        return;
      }
      onMessage(data);
    });
  }
}
