/**
 * Progress of a run on the terminal: on a TTY one bar redrawn in place (at most ~12 times a
 * second); otherwise plain lines, one each time another tenth of the run is done, so logs in
 * CI stay short and readable.
 */

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Words before the bar, e.g. "range test". */
  title: string;
  /** Planned steps. */
  total: number;
  /** Draw a bar in place (default: the stream's `isTTY`). */
  tty?: boolean;
  /** Milliseconds clock (injectable for tests). */
  now?: () => number;
}

const REDRAW_MS = 80;
const BAR_WIDTH = 24;

export class Progress {
  private readonly tty: boolean;
  private readonly now: () => number;
  private lastDraw = -Infinity;
  private lastTenth = 0;
  private drawn = false;
  private done = 0;
  private detail = '';

  constructor(
    private readonly stream: ProgressStream,
    private readonly options: ProgressOptions,
  ) {
    this.tty = options.tty ?? stream.isTTY === true;
    this.now = options.now ?? Date.now;
  }

  /** `done` of `total` steps are finished; `detail` says what the latest step gave (lr, loss …). */
  update(done: number, detail: string): void {
    this.done = done;
    this.detail = detail;
    const total = Math.max(1, this.options.total);
    if (this.tty) {
      const t = this.now();
      if (done >= total || t - this.lastDraw >= REDRAW_MS) {
        this.lastDraw = t;
        this.draw();
      }
      return;
    }
    const tenth = Math.floor((10 * Math.min(done, total)) / total);
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.stream.write(`${this.options.title}: ${done}/${this.options.total} steps (${tenth * 10} %)  ${detail}\n`);
    }
  }

  /** Prints a line that stays (an epoch summary, a note), keeping the bar below it on a TTY. */
  line(text: string): void {
    if (this.tty && this.drawn) this.stream.write('\r\x1b[2K');
    this.stream.write(text + '\n');
    if (this.tty && this.drawn) this.draw();
  }

  /** Ends the bar: on a TTY the last state stays on its own line. */
  finish(): void {
    if (this.tty && this.drawn) {
      this.draw();
      this.stream.write('\n');
      this.drawn = false;
    }
  }

  private draw(): void {
    const total = Math.max(1, this.options.total);
    const fraction = Math.min(1, this.done / total);
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
    let text = `${this.options.title} ${bar} ${String(this.done).padStart(String(this.options.total).length)}/${this.options.total}  ${this.detail}`;
    const columns = this.stream.columns;
    if (columns !== undefined && columns > 10 && text.length > columns - 1) text = text.slice(0, columns - 1);
    this.stream.write(`\r\x1b[2K${text}`);
    this.drawn = true;
  }
}
