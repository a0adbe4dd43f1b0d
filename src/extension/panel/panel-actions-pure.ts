/** The vscode-free parts of the panel's actions (tested in plain node). */
import type { ExportFormat } from '../../protocol/webview';

const PNG_PREFIX = 'data:image/png;base64,';

/** The bytes to write for an export message: a PNG data URL decoded, text as UTF-8. */
export function exportBytes(format: ExportFormat, data: string): Uint8Array {
  if (format === 'png') {
    if (!data.startsWith(PNG_PREFIX)) throw new Error('the chart image is not a PNG data URL');
    return Buffer.from(data.slice(PNG_PREFIX.length), 'base64');
  }
  return Buffer.from(data, 'utf8');
}
