/** The external logs' commands: Import LR Log…, Watch LR Log…, Stop Watching LR Log. */
import type { CommandEntry } from '../command-table';
import type { Logs } from './logs-loader';

export function logCommands(logs: Logs): CommandEntry[] {
  return [
    { command: 'lrScope.importLog', run: (arg) => logs.importLog(arg) },
    { command: 'lrScope.watchLog', run: (arg) => logs.watchLog(arg) },
    { command: 'lrScope.stopWatchingLog', run: () => logs.stopWatching() },
  ];
}
