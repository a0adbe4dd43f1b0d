/**
 * Follows a growing file (J7: a user's training writes lr/loss lines while we watch): each `poll`
 * reads the bytes appended since the last one and hands them over as text (UTF-8 safe across
 * chunk boundaries). A file that shrank was rewritten: the tail starts over and says so. `start`
 * polls on `fs.watch` events and on a slow interval (watch events are not guaranteed on every file
 * system); tests call `poll` directly.
 */
import { watch, type FSWatcher } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

export interface TailHandlers {
  /** New text at the end of the file. */
  chunk(text: string): void;
  /** The file was truncated or replaced: everything before is void; text follows from its start. */
  reset(): void;
  /** The file could not be read (e.g. deleted); following goes on and recovers when it is back. */
  error?(err: Error): void;
}

export class FileTail {
  private offset = 0;
  private decoder = new StringDecoder('utf8');
  private queue: Promise<void> = Promise.resolve();
  private watcher: FSWatcher | undefined;
  private interval: ReturnType<typeof setInterval> | undefined;
  private lastError: string | undefined;

  constructor(
    readonly path: string,
    private readonly handlers: TailHandlers,
    private readonly maxChunkBytes = 1 << 20,
  ) {}

  /** Bytes consumed so far. */
  get position(): number {
    return this.offset;
  }

  /** Reads what was appended since the last poll. Polls never overlap. */
  poll(): Promise<void> {
    this.queue = this.queue.then(() => this.readNew());
    return this.queue;
  }

  /** Polls now, then on every change event and every `intervalMs`. */
  start(intervalMs = 1000): void {
    void this.poll();
    try {
      this.watcher = watch(this.path, { persistent: false }, () => void this.poll());
      this.watcher.on('error', () => undefined);
    } catch {
      // no watch support here (or the file is not there yet): the interval covers it
    }
    this.interval = setInterval(() => void this.poll(), intervalMs);
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.interval) clearInterval(this.interval);
    this.interval = undefined;
  }

  private async readNew(): Promise<void> {
    let size: number;
    try {
      size = (await stat(this.path)).size;
    } catch (err) {
      this.report(err);
      return;
    }
    this.lastError = undefined;
    if (size < this.offset) {
      this.offset = 0;
      this.decoder = new StringDecoder('utf8');
      this.handlers.reset();
    }
    if (size === this.offset) return;
    const handle = await open(this.path, 'r').catch((err: unknown) => {
      this.report(err);
      return undefined;
    });
    if (!handle) return;
    try {
      while (this.offset < size) {
        const length = Math.min(this.maxChunkBytes, size - this.offset);
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        const text = this.decoder.write(buffer.subarray(0, bytesRead));
        if (text !== '') this.handlers.chunk(text);
      }
    } finally {
      await handle.close();
    }
  }

  private report(err: unknown): void {
    const e = err instanceof Error ? err : new Error(String(err));
    if (e.message === this.lastError) return; // once per distinct problem, not every poll
    this.lastError = e.message;
    this.handlers.error?.(e);
  }
}
