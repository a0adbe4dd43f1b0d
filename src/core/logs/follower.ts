/**
 * `createLogFollower`: reads a log that is still being written (the extension's "Watch LR Log"). Feed it
 * each new chunk of the file; it returns the points completed by that chunk and keeps a partial last
 * line until its line break arrives (or `end()`).
 */
import type { RangePoint } from '../analysis/types';
import type { LogColumns } from './columns';
import { createCsvReader } from './csv';
import { LogParseError } from './errors';
import { createJsonlReader, parseJsonLenient, readJsonDocument } from './json';
import { formatFromName, type LogFormat } from './parse';
import type { PointReader } from './reader';

export interface LogFollower {
  /** Adds the next chunk of the file; returns the new points (possibly none). Throws LogParseError. */
  push(chunk: string): RangePoint[];
  /** The file is complete: reads a last line without a line break (or a whole JSON document). */
  end(): RangePoint[];
  /** Known once the first record (or, for a whole JSON document, `end()`) has been read. */
  readonly format: LogFormat | null;
  readonly columns: LogColumns | null;
  readonly smoothedLoss: boolean;
  /** Points returned so far. */
  readonly count: number;
}

type Mode = { kind: 'undecided' } | { kind: 'lines'; format: 'csv' | 'jsonl'; reader: PointReader } | { kind: 'document' };

/**
 * Creates a follower for the log `fileName` (used for the format and in error messages). CSV and JSON Lines
 * are read line by line; a JSON document that is not one object per line (pretty-printed, or an array) can
 * only be read whole, at `end()`.
 */
export function createLogFollower(fileName = 'log'): LogFollower {
  let mode: Mode = { kind: 'undecided' };
  let pending = ''; // text held back until the format is known, or the whole document
  let format: LogFormat | null = null;
  let columns: LogColumns | null = null;
  let smoothedLoss = false;
  let count = 0;

  /** The mode the text held back so far calls for (still undecided while it shows too little). */
  function decide(final: boolean): Mode {
    const body = pending.replace(/^\uFEFF/, '').trimStart();
    if (body === '') return { kind: 'undecided' };
    const byName = formatFromName(fileName);
    let chosen: 'csv' | 'jsonl' | 'document';
    if (byName !== null) chosen = byName;
    else if (body.startsWith('[')) chosen = 'document';
    else if (body.startsWith('{')) {
      const firstLine = body.split('\n', 1)[0];
      if (!final && firstLine.length === body.length) return { kind: 'undecided' }; // wait for a full line
      let oneLine = true;
      try {
        parseJsonLenient(firstLine);
      } catch {
        oneLine = false;
      }
      chosen = oneLine ? 'jsonl' : 'document';
    } else chosen = 'csv';
    if (chosen === 'document') return { kind: 'document' };
    const reader = chosen === 'csv' ? createCsvReader(fileName) : createJsonlReader(fileName);
    return { kind: 'lines', format: chosen, reader };
  }

  function collect(points: RangePoint[], reader: PointReader, lineFormat: 'csv' | 'jsonl'): RangePoint[] {
    if (reader.columns !== null) {
      format = lineFormat;
      columns = reader.columns;
      smoothedLoss = reader.smoothedLoss;
    }
    count += points.length;
    return points;
  }

  function feed(text: string, final: boolean): RangePoint[] {
    if (mode.kind === 'undecided') {
      pending += text;
      mode = decide(final);
      if (mode.kind === 'undecided') return [];
      text = pending;
      pending = '';
    }
    if (mode.kind === 'document') {
      pending += text;
      if (!final) return [];
      let document: unknown;
      try {
        document = parseJsonLenient(pending);
      } catch (e) {
        throw new LogParseError(fileName, null, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
      }
      const whole = readJsonDocument(document, fileName);
      if (whole === null) throw new LogParseError(fileName, null, 'expected an object of lr and loss arrays, or an array of objects');
      format = 'json';
      columns = whole.columns;
      smoothedLoss = whole.smoothedLoss;
      count += whole.points.length;
      return whole.points;
    }
    const { reader, format: lineFormat } = mode;
    const points = reader.push(text);
    return collect(final ? [...points, ...reader.end()] : points, reader, lineFormat);
  }

  return {
    push: (chunk) => feed(chunk, false),
    end: () => feed('', true),
    get format() {
      return format;
    },
    get columns() {
      return columns;
    },
    get smoothedLoss() {
      return smoothedLoss;
    },
    get count() {
      return count;
    },
  };
}
