/** The webview's request tracker (webview/requests.ts), in node: ids, one reply each, unknown replies dropped. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PendingRequests } from '../../webview/requests';
import { isWebviewMessage, type RequestMessage } from '../../src/protocol/webview';

test('each request gets a fresh valid id and resolves with the reply that carries it', async () => {
  const posted: RequestMessage[] = [];
  const reports: string[] = [];
  const requests = new PendingRequests((m) => posted.push(m), (t) => reports.push(t));
  const spec = { policy: 'constant', lr: 0.1 } as const;
  const a = requests.send({ type: 'insert', spec, framework: 'pytorch' });
  const b = requests.send({ type: 'copy', spec, framework: 'keras' });
  assert.equal(posted.length, 2);
  assert.ok(posted.every(isWebviewMessage), 'valid per the protocol');
  assert.notEqual(posted[0]!.requestId, posted[1]!.requestId);
  assert.equal(requests.pendingOf('insert'), 1);
  // Replies come in any order.
  assert.equal(requests.settle({ type: 'reply', requestId: posted[1]!.requestId, ok: true, message: 'copied' }), true);
  assert.equal(requests.settle({ type: 'reply', requestId: posted[0]!.requestId, ok: false, message: 'no editor' }), true);
  assert.deepEqual(await a, { type: 'reply', requestId: posted[0]!.requestId, ok: false, message: 'no editor' });
  assert.equal((await b).message, 'copied');
  assert.equal(requests.pendingOf('insert') + requests.pendingOf('copy'), 0);
  assert.deepEqual(reports, []);
});

test('a reply to an unknown id, or a second reply, is dropped and reported', () => {
  const posted: RequestMessage[] = [];
  const reports: string[] = [];
  const requests = new PendingRequests((m) => posted.push(m), (t) => reports.push(t));
  void requests.send({ type: 'export', format: 'csv', fileName: 'a.csv', data: '' });
  const id = posted[0]!.requestId;
  assert.equal(requests.settle({ type: 'reply', requestId: 'req-404', ok: true }), false);
  assert.equal(requests.pendingOf('export'), 1, 'the waiting request is untouched');
  assert.equal(requests.settle({ type: 'reply', requestId: id, ok: true }), true);
  assert.equal(requests.settle({ type: 'reply', requestId: id, ok: true }), false);
  assert.deepEqual(reports, ['dropped a reply to req-404, which no request waits for', `dropped a reply to ${id}, which no request waits for`]);
});
