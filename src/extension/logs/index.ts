/** The entry of dist/logs.js: the external logs, which the extension loads on first use (`./logs-loader.ts`). */
export { ExternalLogs } from './external-logs';
