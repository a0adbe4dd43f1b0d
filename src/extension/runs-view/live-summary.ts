/** How the run going now reads in the runs view, from its live model. Pure, tested without vscode. */
import { basename } from 'node:path';
import { formatLr } from '../../core/analysis/index';
import type { LiveRun } from '../../host/live-run';
import type { RunSummary } from './run-summary';

export function summarizeLive(run: LiveRun): RunSummary {
  const kind = run.params.kind === 'range-test' ? 'range test' : 'training';
  const name = basename(run.params.experimentPath).replace(/\.experiment\.(ts|js|mjs)$/, '');
  const total = run.totalSteps;
  const steps = `${run.pointCount}${total ? `/${total}` : ''} steps`;
  const state = run.phase === 'starting' ? 'starting…' : run.phase === 'stopping' ? `stopping · ${steps}` : run.phase === 'ended' ? `${run.status} · ${steps}` : `running · ${steps}`;
  const recommendation = run.recommendation;
  const lr = recommendation && typeof recommendation.lr === 'number' ? `lr ${formatLr(recommendation.lr)}${recommendation.final ? '' : ' so far'}` : undefined;
  return {
    id: run.id,
    label: `${name} (${kind})`,
    description: [state, run.started?.backend.backend, lr].filter((s): s is string => s !== undefined).join(' · '),
    tooltip: [`${name} — ${kind}, in progress`, `Experiment: ${run.params.experimentPath}`, `Started: ${run.startedAt.toISOString()}`, `Steps: ${steps}`, `Record: ${run.recordPath}`].join('\n'),
    icon: run.phase === 'ended' ? 'pass' : 'sync~spin',
    contextValue: 'lrScope.liveRun',
  };
}
