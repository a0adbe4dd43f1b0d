/**
 * The step count a document's insert lens shows, read by the insertion planner (a plan of the whole
 * file: ~20 ms on a real script, ~0.4 s on a 2,000-line file with a hundred optimizers). It is read
 * once per document version, and not while the user is typing: during a burst of edits the lens
 * keeps the count of the last version read (marked stale), and it is read again once the document
 * has been left alone for `idleMs`. The clock is the caller's (tests pass their own).
 */
interface Entry {
  /** The version `value` was read from (-1: none read yet). */
  version: number;
  value: string | undefined;
  /** The newest version seen, and when it was first seen. */
  seenVersion: number;
  seenAt: number;
}

export type StepCountRead = { value: string | undefined; stale: boolean };

export class StepCounts<D extends object> {
  private readonly entries = new WeakMap<D, Entry>();

  constructor(private readonly idleMs: number) {}

  /** Notes that `document` is at `version` at time `now` (each time its lenses are asked for). */
  seen(document: D, version: number, now: number): void {
    const entry = this.entries.get(document);
    if (!entry) this.entries.set(document, { version: -1, value: undefined, seenVersion: version, seenAt: now });
    else if (entry.seenVersion !== version) Object.assign(entry, { seenVersion: version, seenAt: now });
  }

  /** The count of this very version, when it was read already (no work). */
  known(document: D, version: number): { value: string | undefined } | undefined {
    const entry = this.entries.get(document);
    return entry && entry.version === version ? { value: entry.value } : undefined;
  }

  /**
   * The count to show for `document` at `version`: read now by `compute` when the document has been
   * idle for `idleMs` (or nothing was ever read), else the last one read, `stale`.
   */
  read(document: D, version: number, now: number, compute: () => string | undefined): StepCountRead {
    this.seen(document, version, now);
    const entry = this.entries.get(document)!;
    if (entry.version === version) return { value: entry.value, stale: false };
    if (entry.version !== -1 && now - entry.seenAt < this.idleMs) return { value: entry.value, stale: true };
    entry.value = compute();
    entry.version = version;
    return { value: entry.value, stale: false };
  }
}
