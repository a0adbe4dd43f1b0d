/** The external logs' commands: Import LR Log…, Watch LR Log…, Stop Watching LR Log. */
import type { CommandEntry } from '../command-table';
import type { ExternalLogs } from './external-logs';

export function logCommands(logs: ExternalLogs): CommandEntry[] {
  return [
    { command: 'lrScope.importLog', run: (arg) => logs.importLog(arg) },
    { command: 'lrScope.watchLog', run: (arg) => logs.watchLog(arg) },
    { command: 'lrScope.stopWatchingLog', run: () => logs.stopWatching() },
  ];
}
