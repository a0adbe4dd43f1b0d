/** The last lines of a child's output, kept for crash reports ("… the engine said: …"). */
export class OutputTail {
  private text = '';

  /** @param maxChars how much of the end of the output to keep. */
  constructor(private readonly maxChars = 4000) {}

  /** Appends a chunk of output. */
  push(chunk: string): void {
    this.text = (this.text + chunk).slice(-this.maxChars * 2);
    if (this.text.length > this.maxChars) this.text = this.text.slice(-this.maxChars);
  }

  /** The last `lines` non-empty lines (whole lines only when the buffer was cut). */
  lines(lines = 12): string[] {
    const all = this.text.split(/\r?\n/);
    if (this.text.length >= this.maxChars) all.shift(); // first line may be cut in the middle
    return all.filter((l) => l.trim() !== '').slice(-lines);
  }

  /** True when the output shows that V8 ran out of heap. */
  sawOutOfMemory(): boolean {
    return /heap out of memory|Allocation failed|out of memory/i.test(this.text);
  }
}
