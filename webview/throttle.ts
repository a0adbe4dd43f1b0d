/**
 * Coalesces render requests: however many updates arrive, the view renders at most once per
 * animation frame and at most once per `minIntervalMs` (100 ms = 10 renders/s while streaming).
 * When a render takes long (a huge run on a slow machine), the gap after it is at least twice
 * its duration, so the panel stays responsive between renders.
 */

/** The clock and timers the throttle uses; injectable so tests need no real time. */
export interface FrameClock {
  now(): number;
  setTimer(callback: () => void, ms: number): void;
  requestFrame(callback: () => void): void;
}

export const browserClock: FrameClock = {
  now: () => performance.now(),
  setTimer: (callback, ms) => void setTimeout(callback, ms),
  requestFrame: (callback) => {
    // A webview in a background tab gets no animation frames; a timer makes sure we still render.
    let done = false;
    const once = () => {
      if (!done) {
        done = true;
        callback();
      }
    };
    requestAnimationFrame(once);
    setTimeout(once, 250);
  },
};

export class RenderThrottle {
  private pending = false;
  private lastRender = -Infinity;
  private lastDuration = 0;
  private renders = 0;

  constructor(
    private readonly render: () => void,
    private readonly minIntervalMs = 100,
    private readonly clock: FrameClock = browserClock,
  ) {}

  /** Number of renders performed so far. */
  get renderCount(): number {
    return this.renders;
  }

  /** True while a render is scheduled but not yet done. */
  get isPending(): boolean {
    return this.pending;
  }

  /** Asks for a render; cheap to call any number of times. */
  request(): void {
    if (this.pending) return;
    this.pending = true;
    const wait = this.lastRender + Math.max(this.minIntervalMs, 2 * this.lastDuration) - this.clock.now();
    if (wait > 0) this.clock.setTimer(() => this.clock.requestFrame(() => this.run()), wait);
    else this.clock.requestFrame(() => this.run());
  }

  /** Renders now (and cancels the pending one), e.g. before exporting the chart. */
  flush(): void {
    this.run();
  }

  private run(): void {
    if (!this.pending && this.renders > 0) return;
    this.pending = false;
    const start = this.clock.now();
    this.renders += 1;
    try {
      this.render();
    } finally {
      this.lastRender = this.clock.now();
      this.lastDuration = this.lastRender - start;
    }
  }
}
