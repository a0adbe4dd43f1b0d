/** Code to paste when there is no target file (`lrscope snippet`, the webview's Copy button). */
import { specLength } from '../../core/schedules/compile';
import { flavorCodeOf } from '../../core/schedules/flavors/code';
import { hasRelativeLength } from '../../core/schedules/flavors/index';
import type { ScheduleSpec } from '../../core/schedules/spec';
import type { Snippet } from '../types';
import { formulaImports, formulasFor, pyFunction } from './formulas';
import type { PythonFramework } from './framework';
import { optaxNative } from './optax';
import { pyFloat, pyNum } from './style';
import { torchScheduler } from './torch-scheduler';

function imports(lines: string[]): string {
  return [...new Set(lines)].join('\n');
}

function stepsNote(spec: ScheduleSpec): string {
  const n = specLength(spec);
  return n === null ? 'the schedule repeats for as long as training runs' : `the schedule spans ${n} optimizer steps`;
}

/** A self-contained snippet for `spec` in `framework` (see the module comment). */
export function pythonSnippet(spec: ScheduleSpec, framework: PythonFramework): Snippet {
  return { framework, language: 'python', code: `${code(spec, framework).trimEnd()}\n` };
}

function code(spec: ScheduleSpec, framework: PythonFramework): string {
  switch (framework) {
    case 'pytorch':
    case 'lightning': {
      const s = torchScheduler(spec, 'optimizer', 'unknown', null);
      const head = imports([...s.modules.map((m) => `import ${m}`), `from torch.optim.lr_scheduler import ${s.importName}`]);
      const body = [...s.defs, `scheduler = ${s.construct}`].join('\n');
      if (framework === 'pytorch') {
        return `${head}\n\n# ${s.description}; ${stepsNote(spec)}.\n# Create it right after the optimizer:\n${body}\n\n# ...and step it after every optimizer step, in the batch loop:\n#     optimizer.step()\n#     scheduler.step()\n`;
      }
      const method = [
        'def configure_optimizers(self):',
        '    optimizer = torch.optim.SGD(self.parameters(), lr=0.1, momentum=0.9)',
        ...body.split('\n').map((l) => (l === '' ? '' : `    ${l}`)),
        '    return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}',
      ].join('\n');
      return `import torch\n${head}\n\n# In your LightningModule (${s.description}; ${stepsNote(spec)}):\n${method}\n`;
    }
    case 'keras': {
      if (spec.policy === 'constant') return `optimizer = keras.optimizers.SGD(learning_rate=${pyFloat(spec.lr)})\n`;
      const f = formulasFor(spec, 'tf');
      const py = f.momentum ? formulasFor(spec, 'python').momentum : null;
      const lines = [
        ...formulaImports(f.lr, py).map((m) => `import ${m}`),
        'import tensorflow as tf',
        'from tensorflow import keras',
        '',
        '',
        'class LRSchedule(keras.optimizers.schedules.LearningRateSchedule):',
        `    # ${f.lr.title}: the LR of optimizer step \`step\` (exact formula in TensorFlow ops); ${stepsNote(spec)}.`,
        '    def __call__(self, step):',
        ...f.lr.lines.map((l) => (l === '' ? '' : `        ${l}`)),
        '',
        '    def get_config(self):',
        '        return {}',
        '',
        '',
        'optimizer = keras.optimizers.SGD(learning_rate=LRSchedule(), momentum=0.9)',
      ];
      if (py) {
        lines.push(
          '',
          '',
          pyFunction('momentum_at_step', py),
          '',
          '',
          'class MomentumSchedule(keras.callbacks.Callback):',
          "    # Sets the optimizer's momentum (use beta_1 for Adam) before every batch.",
          '    def on_train_batch_begin(self, batch, logs=None):',
          '        step = int(self.model.optimizer.iterations.numpy())',
          '        self.model.optimizer.momentum = momentum_at_step(step)',
          '',
          '',
          '# model.fit(..., callbacks=[MomentumSchedule()])',
        );
      }
      return lines.join('\n');
    }
    case 'fastai': {
      const fit = spec.policy === 'onecycle' ? flavorCodeOf(spec).fitOneCycle?.(spec) : undefined;
      if (fit) {
        const args = [`lr_max=${pyNum(fit.lrMax)}`, `div=${pyNum(fit.div)}`, `div_final=${pyNum(fit.divFinal)}`, `pct_start=${pyNum(fit.pctStart)}`, `moms=(${fit.moms.map(pyNum).join(', ')})`];
        return `# n_epoch * len(learn.dls.train) should be ${fit.totalSteps} steps\nlearn.fit_one_cycle(n_epoch, ${args.join(', ')})\n`;
      }
      const f = formulasFor(spec, 'python', hasRelativeLength(spec) ? { expr: 'total_steps' } : null);
      const scheds = ['"lr": lr_at_pos', ...(f.momentum ? ['"mom": momentum_at_pos'] : [])];
      return [
        ...formulaImports(f.lr, f.momentum).map((m) => `import ${m}`),
        'from fastai.callback.schedule import ParamScheduler',
        '',
        'total_steps = n_epoch * len(learn.dls.train)',
        '',
        '',
        pyFunction('lr_at_step', f.lr),
        '',
        '',
        'def lr_at_pos(pos):',
        '    return lr_at_step(round(pos * total_steps))',
        ...(f.momentum ? ['', '', pyFunction('momentum_at_step', f.momentum), '', '', 'def momentum_at_pos(pos):', '    return momentum_at_step(round(pos * total_steps))'] : []),
        '',
        '',
        `learn.fit(n_epoch, cbs=ParamScheduler({${scheds.join(', ')}}))`,
      ].join('\n');
    }
    case 'optax': {
      const native = optaxNative(spec);
      if (native) return `import optax\n\nlr_schedule = ${native}\noptimizer = optax.sgd(learning_rate=lr_schedule)\n`;
      const f = formulasFor(spec, 'jnp');
      return ['import jax.numpy as jnp', 'import optax', '', '', pyFunction('lr_schedule', f.lr), '', '', 'optimizer = optax.sgd(learning_rate=lr_schedule)'].join('\n');
    }
  }
}
