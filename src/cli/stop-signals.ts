/**
 * Ctrl-C and its kin while a run goes: SIGINT, SIGTERM and SIGHUP each stop the run after its
 * current batch so its record is closed as cancelled with every point; a second one stops it at
 * once where the runner can (the engine child is killed, the points received are saved).
 */

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** Exit code of a run stopped by `signal`, as shells report it (128 + the signal's number). */
export function exitCodeOf(signal: StopSignal): number {
  switch (signal) {
    case 'SIGINT':
      return 130;
    case 'SIGTERM':
      return 143;
    case 'SIGHUP':
      return 129;
  }
}

/** What the run sees of the signals: an AbortSignal for the first, and which signal it was. */
export interface Interrupt {
  readonly signal: AbortSignal;
  /** The first stop signal received, or null. */
  readonly stoppedBy: StopSignal | null;
}

export interface InterruptHandlers {
  /** The first signal: say what happens (the AbortSignal fires right after). */
  first(signal: StopSignal): void;
  /**
   * Another signal after the first: stop at once. Without it the listeners are removed after the
   * first signal, so a second one ends the process the usual way.
   */
  again?(signal: StopSignal): void;
}

/** Runs `fn` with the stop signals routed to `handlers`; the listeners are removed when it settles. */
export async function withInterrupt<T>(handlers: InterruptHandlers, fn: (interrupt: Interrupt) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const state: { stoppedBy: StopSignal | null } = { stoppedBy: null };
  const interrupt: Interrupt = {
    signal: controller.signal,
    get stoppedBy() {
      return state.stoppedBy;
    },
  };
  const listeners = STOP_SIGNALS.map((name) => {
    const listener = (): void => {
      if (state.stoppedBy === null) {
        state.stoppedBy = name;
        handlers.first(name);
        controller.abort(`stopped by ${name}`);
        if (!handlers.again) remove();
        return;
      }
      handlers.again?.(name);
    };
    process.on(name, listener);
    return { name, listener };
  });
  const remove = (): void => {
    for (const { name, listener } of listeners) process.removeListener(name, listener);
  };
  try {
    return await fn(interrupt);
  } finally {
    remove();
  }
}
