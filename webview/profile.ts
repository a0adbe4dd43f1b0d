/** Phase timings of the last render (ms), read by the benchmark through `lrscopeDebug`. */
export const lastRender: Record<string, number> = {};

/** Runs `f` and records its duration under `phase`. */
export function timePhase<T>(phase: string, f: () => T): T {
  const t0 = performance.now();
  try {
    return f();
  } finally {
    lastRender[phase] = performance.now() - t0;
  }
}
