/** `parseLrLog`: a range-test log from another tool (CSV, JSON Lines, JSON) read into points. */
import type { RangePoint } from '../analysis/types';
import type { LogColumns } from './columns';
import { createCsvReader } from './csv';
import { LogParseError } from './errors';
import { createJsonlReader, parseJsonLenient, readJsonDocument } from './json';

export type LogFormat = 'csv' | 'jsonl' | 'json';

export interface ParsedLog {
  points: RangePoint[];
  format: LogFormat;
  columns: LogColumns;
  /**
   * True when the loss column's name says its values are smoothed already (fastai's `losses`,
   * `smooth_loss`): analyse them with `beta: 0` so they are not smoothed twice.
   */
  smoothedLoss: boolean;
}

function extension(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/**
 * The format a file name suggests: `csv` for .csv/.tsv/.txt, `jsonl` for .jsonl/.ndjson, null when the
 * content must decide (.json and anything else).
 */
export function formatFromName(fileName: string): 'csv' | 'jsonl' | null {
  switch (extension(fileName)) {
    case 'csv':
    case 'tsv':
    case 'txt':
      return 'csv';
    case 'jsonl':
    case 'ndjson':
      return 'jsonl';
    default:
      return null;
  }
}

function parseWith(reader: ReturnType<typeof createCsvReader> | ReturnType<typeof createJsonlReader>, text: string): RangePoint[] {
  return [...reader.push(text), ...reader.end()];
}

function parseCsv(text: string, fileName: string): ParsedLog {
  const reader = createCsvReader(fileName);
  const points = parseWith(reader, text);
  if (reader.columns === null) throw new LogParseError(fileName, null, 'the file is empty; expected a header row with lr and loss columns, then one row per batch');
  if (points.length === 0) throw new LogParseError(fileName, null, 'no data rows after the header');
  return { points, format: 'csv', columns: reader.columns, smoothedLoss: reader.smoothedLoss };
}

function parseJsonl(text: string, fileName: string): ParsedLog {
  const reader = createJsonlReader(fileName);
  const points = parseWith(reader, text);
  if (reader.columns === null) throw reader.noData();
  return { points, format: 'jsonl', columns: reader.columns, smoothedLoss: reader.smoothedLoss };
}

/**
 * Reads a range-test log: CSV with a header row, JSON Lines, or a JSON document (an object of arrays such as
 * pytorch-lr-finder's `history`, or an array of objects). `fileName` picks the format by extension
 * (see `formatFromName`); otherwise the content decides. Column names: see `columns.ts`.
 *
 * Throws a LogParseError naming the file, the row and what was expected, e.g.
 * `log.csv: row 7: column "loss" is not a number ('abc')`.
 */
export function parseLrLog(text: string, fileName: string): ParsedLog {
  const byName = formatFromName(fileName);
  if (byName === 'csv') return parseCsv(text, fileName);
  if (byName === 'jsonl') return parseJsonl(text, fileName);
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (!body.startsWith('{') && !body.startsWith('[')) {
    if (extension(fileName) === 'json') throw new LogParseError(fileName, null, 'expected a JSON object or array');
    return parseCsv(text, fileName);
  }
  let document: unknown;
  try {
    document = parseJsonLenient(body);
  } catch (e) {
    // Not one document: JSON Lines (several objects), or broken JSON, which the line reader pinpoints.
    if (body.startsWith('{')) return parseJsonl(body, fileName);
    throw new LogParseError(fileName, null, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const whole = readJsonDocument(document, fileName);
  if (whole !== null) {
    if (whole.points.length === 0) throw new LogParseError(fileName, null, 'no data: the lr and loss arrays are empty');
    return { ...whole, format: 'json' };
  }
  return parseJsonl(body, fileName); // a single JSON Lines record
}
