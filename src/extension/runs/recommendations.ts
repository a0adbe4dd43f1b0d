/**
 * The LR a schedule should peak at: the one picked on the curve, else the newest recommendation of a
 * saved range test (of an experiment, or of any). Pure apart from the records it is given.
 */
import type { RunRecord } from '../../core/runs/record';
import { stepsPerEpochOf } from '../panel/panel-source';

/** The LR a schedule should peak at, and where it comes from. */
export interface LrRecommendation {
  lr: number;
  /** `recommended` by the analysis of a run, or `picked` by the user on the curve. */
  origin: 'recommended' | 'picked';
  runId: string;
  /** Experiment (or log) the run was on. */
  experimentPath: string;
  /** Steps per epoch the run knew of (sizes a schedule), when known. */
  stepsPerEpoch?: number;
}

export class Recommendations {
  private picked: { runId: string; lr: number } | undefined;

  /** @param records the saved runs, newest first. */
  constructor(private readonly records: () => Promise<RunRecord[]>) {}

  /** The LR the user picked on a curve, and that run. */
  get pickedLr(): { runId: string; lr: number } | undefined {
    return this.picked;
  }

  /** The user picked `lr` on the curve of `runId` (null: back to the recommendation). */
  pick(runId: string, lr: number | null): void {
    this.picked = lr === null ? undefined : { runId, lr };
  }

  /** The LR picked on the curve, else the newest recommendation of a saved range test, else undefined. */
  async latest(experimentPath?: string): Promise<LrRecommendation | undefined> {
    const runs = await this.records();
    if (this.picked) {
      const { runId, lr } = this.picked;
      const record = runs.find((r) => r.id === runId);
      const path = record?.experiment.path ?? (runId.startsWith('log:') ? runId.slice(4) : undefined);
      if (path !== undefined && (experimentPath === undefined || path === experimentPath)) {
        const steps = record && stepsPerEpochFor(path, runs);
        return { lr, origin: 'picked', runId, experimentPath: path, ...(steps ? { stepsPerEpoch: steps } : {}) };
      }
    }
    const best = runs.find((r) => r.kind === 'range-test' && typeof r.recommendation?.lr === 'number' && (experimentPath === undefined || r.experiment.path === experimentPath));
    if (!best || typeof best.recommendation?.lr !== 'number') return undefined;
    const steps = stepsPerEpochFor(best.experiment.path, runs);
    return { lr: best.recommendation.lr, origin: 'recommended', runId: best.id, experimentPath: best.experiment.path, ...(steps ? { stepsPerEpoch: steps } : {}) };
  }
}

function stepsPerEpochFor(experimentPath: string, runs: readonly RunRecord[]): number | undefined {
  for (const r of runs) {
    if (r.experiment.path !== experimentPath) continue;
    const steps = stepsPerEpochOf(r);
    if (steps) return steps;
  }
  return undefined;
}
