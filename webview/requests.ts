/**
 * The webview's requests to the host (insert, copy, export): each gets an id and waits for the one
 * reply with that id. A reply to an id that is not waiting (unknown, or answered already) is
 * dropped and reported. Plain TypeScript (no DOM): tested in node.
 */
import type { ReplyMessage, RequestBody, RequestMessage } from '../src/protocol/webview';

export class PendingRequests {
  private next = 1;
  private readonly waiting = new Map<string, { type: RequestMessage['type']; settle: (reply: ReplyMessage) => void }>();

  /**
   * @param post sends the numbered request to the host.
   * @param report says what was dropped (the host logs it).
   */
  constructor(
    private readonly post: (message: RequestMessage) => void,
    private readonly report: (text: string) => void,
  ) {}

  /** Sends `body` with a fresh id; resolves with the host's reply to it. */
  send(body: RequestBody): Promise<ReplyMessage> {
    const requestId = `req-${this.next++}`;
    return new Promise((settle) => {
      this.waiting.set(requestId, { type: body.type, settle });
      this.post({ ...body, requestId } as RequestMessage);
    });
  }

  /** Requests still waiting for their reply, by type. */
  pendingOf(type: RequestMessage['type']): number {
    let n = 0;
    for (const w of this.waiting.values()) if (w.type === type) n++;
    return n;
  }

  /** Settles the request the reply answers; false (and reported) when none waits for it. */
  settle(reply: ReplyMessage): boolean {
    const waiting = this.waiting.get(reply.requestId);
    if (!waiting) {
      this.report(`dropped a reply to ${reply.requestId.slice(0, 64)}, which no request waits for`);
      return false;
    }
    this.waiting.delete(reply.requestId);
    waiting.settle(reply);
    return true;
  }
}
