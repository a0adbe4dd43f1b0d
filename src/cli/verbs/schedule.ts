/** `lrscope schedule`: evaluates a schedule spec step by step. */
import { MAX_SCHEDULE_STEPS, SpecError, sampleSchedule, specLength, validateSpec, type ScheduleSpec } from '../../core/schedules/index';
import { parseJsonInput, readInput } from '../input';
import { renderPlot } from '../terminal-plot';
import { UsageError, numberOption, parseVerbArgs, type Verb } from '../verb';
import { maxOf, minOf } from '../../core/extent';

const help = `Usage: lrscope schedule <spec.json | -> [--steps N] [--json]

Evaluates a schedule spec (docs/schedules.md) for every optimizer update i = 0 … N-1.

Options:
  --steps N   number of values (default: the spec's own length: steps, totalSteps or
              transitionSteps; required for constant and cyclic specs without "steps")
  --json      print exactly {"lr":[…],"momentum":[…] or null}
  -h, --help  this text

Examples:
  echo '{"policy":"onecycle","flavor":"smith","minLr":0.08,"maxLr":0.8,"stepSize":41,"totalSteps":95,"finalLr":0.008}' | lrscope schedule -
  lrscope schedule cyclic.json --steps 2000 --json > lrs.json`;

function formatValue(v: number): string {
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? String(Number(v.toPrecision(6))) : v.toExponential(5);
}

/** A readable table: every row when short, else evenly spaced rows plus the peak and the last step. */
function table(lr: number[], momentum: number[] | null): string {
  const n = lr.length;
  const peak = lr.indexOf(maxOf(lr));
  const spaced = [...Array(20).keys()].map((k) => Math.round((k * (n - 1)) / 19));
  const rows = n <= 40 ? [...Array(n).keys()] : [...new Set([...spaced, peak])].sort((a, b) => a - b);
  const header = momentum ? 'step        lr            momentum' : 'step        lr';
  const lines = rows.map((i) => {
    const base = `${String(i).padEnd(10)}  ${formatValue(lr[i] ?? NaN).padEnd(12)}`;
    return momentum ? `${base}  ${formatValue(momentum[i] ?? NaN)}` : base;
  });
  return [header, ...lines].join('\n');
}

export const scheduleVerb: Verb = {
  name: 'schedule',
  summary: 'evaluate a schedule spec: table and plot, or --json values',
  help,
  async run(argv, io) {
    const { values, positionals } = parseVerbArgs('schedule', argv, {
      steps: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (positionals.length !== 1) throw new UsageError(`lrscope schedule: expected one spec file (or - for stdin), got ${positionals.length}. See 'lrscope schedule --help'.`);
    const input = await readInput('schedule', positionals[0] as string, io);
    let spec: ScheduleSpec;
    try {
      spec = validateSpec(parseJsonInput('schedule', input.text, input.name));
    } catch (err) {
      if (err instanceof SpecError) throw new UsageError(`lrscope schedule: ${input.name}: ${err.message}`);
      throw err;
    }
    const steps = numberOption('schedule', 'steps', values.steps);
    if (steps !== undefined && (!Number.isInteger(steps) || steps < 1)) throw new UsageError(`lrscope schedule: --steps must be a positive integer, got ${values.steps}`);
    if (steps !== undefined && steps > MAX_SCHEDULE_STEPS) throw new UsageError(`lrscope schedule: --steps must be at most ${MAX_SCHEDULE_STEPS}, got ${values.steps}`);
    const n = steps ?? specLength(spec);
    if (n === null) throw new UsageError(`lrscope schedule: ${input.name}: a ${spec.policy} schedule has no length of its own; pass --steps N (or add "steps" to the spec)`);
    const { lr, momentum } = sampleSchedule(spec, n);
    if (values.json) {
      io.stdout.write(JSON.stringify({ lr, momentum }) + '\n');
      return 0;
    }
    const steps0 = lr.map((_, i) => i);
    const width = Math.min(100, Math.max(40, (io.stdout.columns ?? 80) - 14));
    const out = [
      `${spec.policy}${'flavor' in spec ? `/${spec.flavor}` : ''}: ${n} steps, lr ${formatValue(minOf(lr))} … ${formatValue(maxOf(lr))}`,
      '',
      table(lr, momentum),
      '',
      'learning rate per step',
      renderPlot([{ label: 'lr', mark: '•', x: steps0, y: lr }], { width }),
    ];
    if (momentum) out.push('', 'momentum per step', renderPlot([{ label: 'momentum', mark: '•', x: steps0, y: momentum }], { width, height: 8 }));
    io.stdout.write(out.join('\n') + '\n');
    return 0;
  },
};
