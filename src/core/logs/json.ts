/**
 * JSON logs: JSON Lines (one object per line, e.g. `{"step": 3, "lr": 0.001, "loss": 2.3}`), and whole
 * documents: an object of arrays (`{"lr": [...], "loss": [...]}`, pytorch-lr-finder's `history` or
 * Lightning's `lr_finder.results` dumped with `json.dump`) or an array of objects.
 *
 * Python's `json` writes NaN and infinities as the bare words `NaN`, `Infinity`, `-Infinity`, which are
 * not JSON; they are read as numbers here. A `null` loss is read as NaN (JavaScript's `JSON.stringify`
 * writes NaN as null); a `null` learning rate is an error. Numbers written as strings are accepted.
 */
import type { RangePoint } from '../analysis/types';
import { chooseColumns, missingColumnsMessage, type LogColumns } from './columns';
import { LogParseError, showValue } from './errors';
import { parseNumberText } from './numbers';
import type { PointReader } from './reader';

const SENTINEL = '\u0000lrscope:';
const NON_JSON_NUMBERS: ReadonlyArray<[string, number]> = [
  ['-Infinity', -Infinity],
  ['Infinity', Infinity],
  ['NaN', NaN],
];

/** JSON.parse that also reads Python's bare `NaN`, `Infinity` and `-Infinity`. */
export function parseJsonLenient(text: string): unknown {
  if (!/NaN|Infinity/.test(text)) return JSON.parse(text);
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      continue;
    }
    const word = NON_JSON_NUMBERS.find(([w]) => text.startsWith(w, i));
    if (word !== undefined) {
      out += JSON.stringify(SENTINEL + word[0]);
      i += word[0].length - 1;
      continue;
    }
    out += c;
  }
  return JSON.parse(out, (_key, value: unknown) => {
    if (typeof value === 'string' && value.startsWith(SENTINEL)) {
      return NON_JSON_NUMBERS.find(([w]) => w === value.slice(SENTINEL.length))![1];
    }
    return value;
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads one JSON value as a number (see the module comment); a string describing the problem otherwise. */
function jsonNumber(value: unknown, nullIsNaN: boolean): number | string {
  if (typeof value === 'number') return value;
  if (value === null) return nullIsNaN ? NaN : 'is null';
  if (typeof value === 'string') {
    const parsed = parseNumberText(value);
    if (parsed !== null) return parsed;
  }
  return `is not a number (${showValue(value)})`;
}

/** Reads an lr/loss pair; throws a LogParseError at `row` (or with `where` for whole documents). */
function readPair(
  lrValue: unknown,
  lossValue: unknown,
  columns: LogColumns,
  fail: (detail: string) => never,
  label: (key: string) => string,
): RangePoint {
  const lr = jsonNumber(lrValue, false);
  if (typeof lr === 'string') fail(`${label(columns.lr)} ${lr}`);
  if (!(Number.isFinite(lr) && lr > 0)) fail(`${label(columns.lr)} must be a positive finite number (got ${showValue(lrValue)})`);
  const loss = jsonNumber(lossValue, true);
  if (typeof loss === 'string') fail(`${label(columns.loss)} ${loss}`);
  return { lr: lr as number, loss: loss as number };
}

/** Reading of JSON objects, one record each, as JSON Lines and arrays of objects have them. */
function createRecordReader(fileName: string, place: 'row' | 'item') {
  let columns: LogColumns | null = null;
  let smoothedLoss = false;
  let count = 0;
  const keysSeen = new Set<string>();

  function read(value: unknown, row: number): RangePoint | null {
    const fail = (detail: string): never => {
      throw place === 'row' ? new LogParseError(fileName, row, detail) : new LogParseError(fileName, null, `item ${row}: ${detail}`);
    };
    if (!isObject(value)) fail(`expected a JSON object like {"lr": 0.001, "loss": 2.3}, found ${showValue(value)}`);
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (columns === null) {
      keys.forEach((k) => keysSeen.add(k));
      const choice = chooseColumns(keys);
      if (choice.lrIndex < 0 || choice.lossIndex < 0) return null; // not a data record (yet): e.g. a config line
      columns = { lr: keys[choice.lrIndex], loss: keys[choice.lossIndex] };
      smoothedLoss = choice.smoothedLoss;
    }
    const c: LogColumns = columns;
    const hasLr = c.lr in record;
    const hasLoss = c.loss in record;
    if (!hasLr && !hasLoss) return null;
    if (!hasLr) fail(`has "${c.loss}" but no "${c.lr}"`);
    if (!hasLoss) fail(`has "${c.lr}" but no "${c.loss}"`);
    count++;
    return readPair(record[c.lr], record[c.loss], c, fail, (k) => `"${k}"`);
  }

  return {
    read,
    get columns() {
      return columns;
    },
    get smoothedLoss() {
      return smoothedLoss;
    },
    get count() {
      return count;
    },
    /** The error for a log in which no record had both columns. */
    noData(): LogParseError {
      const found = [...keysSeen];
      if (found.length === 0) return new LogParseError(fileName, null, 'no records found; expected JSON objects with lr and loss keys');
      return new LogParseError(fileName, null, missingColumnsMessage(found, chooseColumns(found), 'keys'));
    },
  };
}

/** An incremental JSON Lines reader; `fileName` only names the file in errors. */
export function createJsonlReader(fileName: string): PointReader & { noData(): LogParseError } {
  const records = createRecordReader(fileName, 'row');
  let buffer = '';
  let line = 1;

  function readLine(text: string, row: number): RangePoint | null {
    const trimmed = text.trim();
    if (trimmed === '') return null;
    let value: unknown;
    try {
      value = parseJsonLenient(trimmed);
    } catch (e) {
      throw new LogParseError(fileName, row, `not valid JSON (${e instanceof Error ? e.message : String(e)}): ${showValue(trimmed)}`);
    }
    return records.read(value, row);
  }

  function drain(final: boolean): RangePoint[] {
    const points: RangePoint[] = [];
    let pos = 0;
    for (;;) {
      const end = buffer.indexOf('\n', pos);
      if (end < 0) break;
      const point = readLine(buffer.slice(pos, end), line++);
      if (point !== null) points.push(point);
      pos = end + 1;
    }
    buffer = buffer.slice(pos);
    if (final && buffer.length > 0) {
      const point = readLine(buffer, line);
      if (point !== null) points.push(point);
      buffer = '';
    }
    return points;
  }

  return {
    push(text: string): RangePoint[] {
      buffer += text;
      return drain(false);
    },
    end(): RangePoint[] {
      return drain(true);
    },
    get columns() {
      return records.columns;
    },
    get smoothedLoss() {
      return records.smoothedLoss;
    },
    get count() {
      return records.count;
    },
    noData: records.noData,
  };
}

/** A whole JSON document's points, or null when it is not an object of arrays or an array of objects. */
export function readJsonDocument(
  document: unknown,
  fileName: string,
): { points: RangePoint[]; columns: LogColumns; smoothedLoss: boolean } | null {
  if (Array.isArray(document)) {
    const records = createRecordReader(fileName, 'item');
    const points: RangePoint[] = [];
    document.forEach((item, i) => {
      const point = records.read(item, i + 1);
      if (point !== null) points.push(point);
    });
    if (records.columns === null) throw records.noData();
    return { points, columns: records.columns, smoothedLoss: records.smoothedLoss };
  }
  if (!isObject(document)) return null;
  const keys = Object.keys(document);
  const arrayKeys = keys.filter((k) => Array.isArray(document[k]));
  if (arrayKeys.length === 0) return null;
  const choice = chooseColumns(arrayKeys);
  if (choice.lrIndex < 0 || choice.lossIndex < 0) {
    throw new LogParseError(fileName, null, missingColumnsMessage(arrayKeys, choice, 'keys'));
  }
  const columns = { lr: arrayKeys[choice.lrIndex], loss: arrayKeys[choice.lossIndex] };
  const lrs = document[columns.lr] as unknown[];
  const losses = document[columns.loss] as unknown[];
  if (lrs.length !== losses.length) {
    throw new LogParseError(
      fileName,
      null,
      `"${columns.lr}" has ${lrs.length} values but "${columns.loss}" has ${losses.length}; they must pair up one to one`,
    );
  }
  const points = lrs.map((lr, i) =>
    readPair(
      lr,
      losses[i],
      columns,
      (detail) => {
        throw new LogParseError(fileName, null, detail);
      },
      (k) => `"${k}"[${i}]`,
    ),
  );
  return { points, columns, smoothedLoss: choice.smoothedLoss };
}
