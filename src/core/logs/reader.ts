/** The shape shared by the incremental log readers (CSV, JSONL). */
import type { RangePoint } from '../analysis/types';
import type { LogColumns } from './columns';

export interface PointReader {
  /** Feeds more text; returns the points of the records it completed (a partial last line waits). */
  push(text: string): RangePoint[];
  /** Ends the input: reads a last record that has no line break yet. */
  end(): RangePoint[];
  /** The columns, once the header (CSV) or the first data record (JSONL) has been read. */
  readonly columns: LogColumns | null;
  /** True when the loss column's name says the values are smoothed already. */
  readonly smoothedLoss: boolean;
  /** Data records read so far. */
  readonly count: number;
}
