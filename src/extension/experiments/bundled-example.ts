/**
 * The bundled example runs in Restricted Mode too: it is LR Scope's own file, and nothing of the
 * workspace is run with it — no tfjs-node resolved from the workspace's node_modules (the `auto` and
 * `tensorflow` backends would load one), only the backends LR Scope ships.
 */
import type { BackendChoice } from '../../protocol/engine';

/** The backend and module search folders a run of the bundled example gets. */
export function exampleRunTarget(trusted: boolean, backend: BackendChoice, searchFrom: string[]): { backend: BackendChoice; searchFrom: string[] } {
  if (trusted) return { backend, searchFrom };
  return { backend: backend === 'cpu' ? 'cpu' : 'wasm', searchFrom: [] };
}
