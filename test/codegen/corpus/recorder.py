"""Runs a training script and records the hyper-parameters of every optimizer step it takes.

    LRSCOPE_RECORD=out.json python3 recorder.py SCRIPT [ARGS...]

The script runs as `__main__` (runpy) with sys.argv = [SCRIPT, ARGS...], its own folder first on
sys.path (as `python3 SCRIPT` would have it) and this folder's stubs/ right after, so that the
stand-ins of packages that are not installable here (transformers, accelerate, timm, lightning,
torchvision, ...) are found.

Every optimizer built from a torch.optim.Optimizer subclass -- torch's own, a subclass of the
script's, one made by a factory such as `model.configure_optimizers(...)` -- gets its `step`
wrapped on the instance right after `Optimizer.__init__`. The wrapper records, for each param
group, `lr` and the momentum (`betas[0]` when the group has `betas`, else `momentum`, else None:
the order OneCycleLR/CyclicLR use) as they are when the step is applied, i.e. before the update
and after whatever the script did to the groups beforehand. A step that does not really run
(GradScaler skips `optimizer.step()` on inf/nan gradients) never reaches the wrapper, so it is
not counted.

The wrapper is a bound method so that torch's LR schedulers, which re-wrap `optimizer.step`
through `method.__func__` / `method.__self__` to count calls, keep working on top of it.

The JSON written to $LRSCOPE_RECORD:
    {"status": "ok" | "exit N" | "error", "error": str | null,
     "optimizers": [{"index": i, "class": "SGD", "groups": G,
                     "lr": [[g0, g1, ...] per step], "momentum": [[...] per step]}]}
"""
import json
import os
import runpy
import sys
import traceback
import types

import torch

# The corpus runs beside other work on a small machine: one thread, and the same numbers each run.
torch.set_num_threads(1)

_records = []


def _momentum_of(group):
    if 'betas' in group:
        return float(group['betas'][0])
    if 'momentum' in group:
        return float(group['momentum'])
    return None


def _wrap_instance(optimizer):
    if getattr(optimizer, '_lrscope_record', None) is not None:
        return
    record = {'index': len(_records), 'class': type(optimizer).__name__,
              'groups': len(optimizer.param_groups), 'lr': [], 'momentum': []}
    _records.append(record)
    optimizer._lrscope_record = record
    unwrapped = type(optimizer).step

    def step(self, *args, **kwargs):
        record['groups'] = len(self.param_groups)
        record['lr'].append([float(g['lr']) for g in self.param_groups])
        record['momentum'].append([_momentum_of(g) for g in self.param_groups])
        return unwrapped(self, *args, **kwargs)

    optimizer.step = types.MethodType(step, optimizer)


_original_init = torch.optim.Optimizer.__init__


def _recording_init(self, *args, **kwargs):
    _original_init(self, *args, **kwargs)
    _wrap_instance(self)


torch.optim.Optimizer.__init__ = _recording_init


def _write(status, error):
    out = os.environ.get('LRSCOPE_RECORD')
    if not out:
        return
    with open(out, 'w') as f:
        json.dump({'status': status, 'error': error, 'optimizers': _records}, f)


def main():
    if len(sys.argv) < 2:
        sys.stderr.write('usage: LRSCOPE_RECORD=out.json python3 recorder.py SCRIPT [ARGS...]\n')
        sys.exit(2)
    if not os.environ.get('LRSCOPE_RECORD'):
        sys.stderr.write('recorder.py: set LRSCOPE_RECORD to the JSON file to write\n')
        sys.exit(2)
    script = os.path.abspath(sys.argv[1])
    sys.argv = [sys.argv[1]] + sys.argv[2:]
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[0:1] = [os.path.dirname(script), os.path.join(here, 'stubs')]
    status, error = 'ok', None
    try:
        runpy.run_path(script, run_name='__main__')
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if code != 0:
            status, error = f'exit {code}', str(exc.code)
    except BaseException:  # the script's own failure is data for the harness
        status, error = 'error', traceback.format_exc(limit=8)
    _write(status, error)
    if status != 'ok':
        sys.stderr.write(error + '\n')
        sys.exit(1)


if __name__ == '__main__':
    main()
