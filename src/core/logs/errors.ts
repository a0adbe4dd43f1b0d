/** Errors of the log importers: one message naming the file, where, and what was expected. */

export class LogParseError extends Error {
  override name = 'LogParseError';
  /** The file name as given to the parser. */
  readonly file: string;
  /** 1-based line (CSV, JSONL) or item (JSON array) where the problem is; null for whole-file problems. */
  readonly row: number | null;
  /** The message without the `file: row N:` prefix. */
  readonly detail: string;

  constructor(file: string, row: number | null, detail: string) {
    super(row === null ? `${file}: ${detail}` : `${file}: row ${row}: ${detail}`);
    this.file = file;
    this.row = row;
    this.detail = detail;
  }
}

/** Shows a raw value in a message: quoted, shortened. */
export function showValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const short = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return `'${short}'`;
}
