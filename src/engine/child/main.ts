/**
 * Entry of the engine child process (`dist/engine.js`), forked by the extension's run manager:
 * JSON-RPC over the IPC channel (never stdout — stdout and stderr are only logs), one run at a
 * time, exits when the parent disconnects.
 */
import { existsSync } from 'node:fs';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { describeExperiment } from '../describe';
import { runRangeTest, runTraining } from '../index';
import { HostGone } from '../run-session';
import { defaultProbeDir, runPythonRangeTest, runPythonSchedule } from '../probe/index';
import { serveEngine } from './server';

if (typeof process.send !== 'function') {
  process.stderr.write('lrscope engine: start me with child_process.fork (I speak JSON-RPC over the IPC channel).\n');
  process.exit(2);
}

// The tfjs wasm binaries are copied beside the bundle (build.mjs); from source, tfjs finds its own.
const wasmDir = existsSync(`${__dirname}/tfjs-backend-wasm-simd.wasm`) ? __dirname : undefined;

const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
// The probe package ships beside the bundle too (python/ at the package root, next to dist/).
const probeDir = defaultProbeDir();
const server = serveEngine(
  connection,
  { runRangeTest, runTraining, runPythonRangeTest, runPythonSchedule, describeExperiment },
  { ...(wasmDir ? { wasmDir } : {}), probeDir },
);

/**
 * The parent went away (it died, or it disconnected): a run in progress stops after its batch and
 * closes its record (as crashed: nobody asked it to stop), then the process exits.
 */
let leaving = false;
function leave(reason: unknown): void {
  if (leaving) return;
  leaving = true;
  server.abort(reason);
  void server.idle().then(() => process.exit(0));
}
process.on('disconnect', () => leave(new HostGone('the process that started the run went away')));
connection.onClose(() => leave(new HostGone('the process that started the run went away')));
// A terminal's Ctrl-C reaches the whole process group, the engine too: the run is stopped as
// cancelled (the parent, told the same, waits for the record); a signal of its own likewise.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (!server.abort(`stopped by ${signal}`) && !process.connected) process.exit(0);
  });
}
connection.listen();
