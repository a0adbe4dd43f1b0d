/**
 * CSV logs: a header row naming the columns, then one row per batch. Comma, semicolon or tab separated
 * (sniffed from the header), fields optionally in double quotes (`""` inside quotes is a quote, line
 * breaks inside quotes are kept), CRLF or LF line ends, a UTF-8 byte order mark is ignored. With `;` or
 * tab separators a decimal comma (`0,001`) is read too. Rows are numbered by the file line they start on.
 */
import type { RangePoint } from '../analysis/types';
import { chooseColumns, missingColumnsMessage, type LogColumns } from './columns';
import { LogParseError, showValue } from './errors';
import { parseNumberText } from './numbers';
import type { PointReader } from './reader';

export type CsvDelimiter = ',' | ';' | '\t';
const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

interface Header {
  names: string[];
  delimiter: CsvDelimiter;
  lrIndex: number;
  lossIndex: number;
}

/**
 * Finds the end of the record starting at `from`: the index of the first line break outside quotes, or
 * -1 if there is none yet. `breaks` counts the line breaks inside quotes before it.
 */
function recordEnd(text: string, from: number, quotesAhead: boolean): { end: number; breaks: number } {
  if (!quotesAhead) return { end: text.indexOf('\n', from), breaks: 0 };
  let inQuotes = false;
  let breaks = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes; // a doubled quote toggles twice: no change
    else if (c === '\n') {
      if (!inQuotes) return { end: i, breaks };
      breaks++;
    }
  }
  return { end: -1, breaks };
}

/** Splits one record into fields; quotes are removed and `""` read as `"`. */
export function splitCsvRecord(record: string, delimiter: string): string[] {
  if (!record.includes('"')) return record.split(delimiter);
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (record[i] === '"') {
      i++;
      while (i < record.length) {
        if (record[i] === '"') {
          if (record[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += record[i++];
      }
    }
    while (i < record.length && record[i] !== delimiter) field += record[i++];
    fields.push(field);
    if (i >= record.length) return fields;
    i++; // skip the delimiter
  }
}

/** The delimiter used most often outside quotes in the header line (comma when none is used). */
export function sniffDelimiter(headerLine: string): CsvDelimiter {
  const counts = new Map<CsvDelimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let inQuotes = false;
  for (const c of headerLine) {
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(c as CsvDelimiter)) counts.set(c as CsvDelimiter, counts.get(c as CsvDelimiter)! + 1);
  }
  let best: CsvDelimiter = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** An incremental CSV reader; `fileName` only names the file in errors. */
export function createCsvReader(fileName: string): PointReader & { readonly delimiter: CsvDelimiter | null } {
  let buffer = '';
  let line = 1; // file line at which `buffer` starts
  let started = false;
  let header: Header | null = null;
  let smoothedLoss = false;
  let count = 0;

  function readHeader(record: string, row: number): void {
    const delimiter = sniffDelimiter(record);
    const names = splitCsvRecord(record, delimiter).map((n) => n.trim());
    if (names.every((n) => parseNumberText(n, delimiter !== ',') !== null)) {
      throw new LogParseError(
        fileName,
        row,
        `expected a header row naming the columns (e.g. lr,loss), found only numbers (${showValue(record)})`,
      );
    }
    const choice = chooseColumns(names);
    if (choice.lrIndex < 0 || choice.lossIndex < 0) {
      throw new LogParseError(fileName, row, missingColumnsMessage(names, choice, 'columns'));
    }
    header = { names, delimiter, lrIndex: choice.lrIndex, lossIndex: choice.lossIndex };
    smoothedLoss = choice.smoothedLoss;
  }

  function field(h: Header, fields: string[], index: number, row: number): number {
    const name = h.names[index];
    if (index >= fields.length) {
      throw new LogParseError(
        fileName,
        row,
        `has ${fields.length} field${fields.length === 1 ? '' : 's'} but the header has ${h.names.length}: column "${name}" is missing`,
      );
    }
    const raw = fields[index].trim();
    if (raw === '') throw new LogParseError(fileName, row, `column "${name}" is empty`);
    const value = parseNumberText(raw, h.delimiter !== ',');
    if (value === null) throw new LogParseError(fileName, row, `column "${name}" is not a number (${showValue(raw)})`);
    return value;
  }

  function readRecord(record: string, row: number): RangePoint | null {
    if (record.trim() === '') return null;
    if (header === null) {
      readHeader(record, row);
      return null;
    }
    const h: Header = header;
    const fields = splitCsvRecord(record, h.delimiter);
    const lr = field(h, fields, h.lrIndex, row);
    if (!(Number.isFinite(lr) && lr > 0)) {
      throw new LogParseError(fileName, row, `column "${h.names[h.lrIndex]}" must be a positive finite number (got ${showValue(fields[h.lrIndex].trim())})`);
    }
    const loss = field(h, fields, h.lossIndex, row);
    count++;
    return { lr, loss };
  }

  function drain(final: boolean): RangePoint[] {
    const points: RangePoint[] = [];
    let pos = 0;
    const quotesAhead = buffer.includes('"');
    while (pos < buffer.length) {
      const { end, breaks } = recordEnd(buffer, pos, quotesAhead);
      if (end < 0 && !final) break;
      const stop = end < 0 ? buffer.length : end;
      let record = buffer.slice(pos, stop);
      if (record.endsWith('\r')) record = record.slice(0, -1);
      const point = readRecord(record, line);
      if (point !== null) points.push(point);
      line += breaks + (end < 0 ? 0 : 1);
      pos = end < 0 ? buffer.length : end + 1;
    }
    buffer = buffer.slice(pos);
    return points;
  }

  return {
    push(text: string): RangePoint[] {
      if (!started && text.length > 0) {
        started = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      buffer += text;
      return drain(false);
    },
    end(): RangePoint[] {
      return drain(true);
    },
    get columns(): LogColumns | null {
      const h: Header | null = header;
      return h === null ? null : { lr: h.names[h.lrIndex], loss: h.names[h.lossIndex] };
    },
    get smoothedLoss() {
      return smoothedLoss;
    },
    get count() {
      return count;
    },
    get delimiter() {
      const h: Header | null = header;
      return h === null ? null : h.delimiter;
    },
  };
}
