/**
 * The external logs (Import LR Log…, Watch LR Log…), loaded from dist/logs.js on first use, so activation
 * does not load the log readers. Everything they need is passed in (`ExternalLogsDeps`); the module holds
 * no state of its own.
 */
import type { ExternalLogs, ExternalLogsDeps } from './external-logs';

/** What the rest of the extension uses of the external logs, before and after they are loaded. */
export type Logs = Pick<ExternalLogs, 'importLog' | 'watchLog' | 'stopWatching' | 'watches' | 'stateOf' | 'dispose'>;

/** The external logs over `deps`, created on the first call that needs them. A failed load is not cached. */
export function lazyExternalLogs(deps: ExternalLogsDeps): Logs {
  let loaded: ExternalLogs | undefined;
  let loading: Promise<ExternalLogs> | undefined;
  let disposed = false;
  const load = (): Promise<ExternalLogs> => {
    loading ??= import('./index.js')
      .then(({ ExternalLogs }) => {
        loaded = new ExternalLogs(deps);
        if (disposed) loaded.dispose();
        return loaded;
      })
      .catch((err: unknown) => {
        loading = undefined;
        throw err;
      });
    return loading;
  };
  return {
    importLog: async (arg) => (await load()).importLog(arg),
    watchLog: async (arg) => (await load()).watchLog(arg),
    stateOf: async (path) => (await load()).stateOf(path),
    // Nothing is watched before they are loaded.
    watches: (runId) => loaded?.watches(runId) ?? false,
    stopWatching: async () => loaded?.stopWatching(),
    dispose: () => {
      disposed = true;
      loaded?.dispose();
    },
  };
}
