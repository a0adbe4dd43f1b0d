/**
 * Entry of the engine child process (`dist/engine.js`), forked by the extension's run manager:
 * JSON-RPC over the IPC channel (never stdout — stdout and stderr are only logs), one run at a
 * time, exits when the parent disconnects.
 */
import { existsSync } from 'node:fs';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { runRangeTest, runTraining } from '../index';
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
serveEngine(connection, { runRangeTest, runTraining, runPythonRangeTest, runPythonSchedule }, { ...(wasmDir ? { wasmDir } : {}), probeDir });
process.on('disconnect', () => process.exit(0));
connection.onClose(() => process.exit(0));
connection.listen();
