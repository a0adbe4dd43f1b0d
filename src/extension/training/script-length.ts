/** How many optimizer steps a PyTorch script takes, as its saved training runs tell (pure). */
import type { RunRecord } from '../../core/runs/record';

/**
 * The optimizer steps of the script's newest training run that ran the whole script: completed,
 * and not cut at `steps` (it ended before them, or had none). Undefined when no run did.
 */
export function fullRunSteps(records: ReadonlyArray<Pick<RunRecord, 'kind' | 'experiment' | 'status' | 'points' | 'options' | 'startedAt'>>, scriptPath: string): number | undefined {
  const full = records
    .filter((r) => r.kind === 'train' && r.experiment.path === scriptPath && r.status === 'completed' && r.points.length > 0)
    .filter((r) => r.options.steps === undefined || (typeof r.options.steps === 'number' && r.points.length < r.options.steps))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  return full?.points.length;
}
