"""Stand-in for Hugging Face accelerate (see ../README.md): one process, CPU.

What is kept from the real Accelerator, because it decides when the optimizer really steps:
- `prepare(...)` returns its arguments in order; optimizers come back as an AcceleratedOptimizer
  (a torch.optim.Optimizer over the same param groups) and schedulers as an AcceleratedScheduler,
  data loaders as a loader that tells the accelerator when it yields its last batch.
- `accumulate(model)`: with gradient_accumulation_steps = k, only every k-th micro-step (and the
  last batch of the loader) syncs; on the others the AcceleratedOptimizer's step() and zero_grad()
  do nothing and the AcceleratedScheduler's step() does not step the schedule.
- `backward(loss)` divides the loss by k when k > 1, then calls loss.backward().
"""
import contextlib
import enum

import torch

from .utils import set_seed  # noqa: F401


class DistributedType(str, enum.Enum):
    NO = 'NO'
    MULTI_CPU = 'MULTI_CPU'
    MULTI_GPU = 'MULTI_GPU'
    XLA = 'XLA'
    DEEPSPEED = 'DEEPSPEED'


class _GradientState:
    def __init__(self, steps):
        self.num_steps = steps
        self.sync_gradients = True
        self.end_of_dataloader = False


class AcceleratedOptimizer(torch.optim.Optimizer):
    # Optimizer.__init__ is not called, as in accelerate: this object only forwards.
    def __init__(self, optimizer, gradient_state):
        self.optimizer = optimizer
        self.gradient_state = gradient_state

    @property
    def param_groups(self):
        return self.optimizer.param_groups

    @param_groups.setter
    def param_groups(self, value):
        self.optimizer.param_groups = value

    @property
    def defaults(self):
        return self.optimizer.defaults

    @property
    def state(self):
        return self.optimizer.state

    def state_dict(self):
        return self.optimizer.state_dict()

    def load_state_dict(self, state_dict):
        self.optimizer.load_state_dict(state_dict)

    def zero_grad(self, set_to_none=None):
        if self.gradient_state.sync_gradients:
            if set_to_none is None:
                self.optimizer.zero_grad()
            else:
                self.optimizer.zero_grad(set_to_none=set_to_none)

    def step(self, closure=None):
        if self.gradient_state.sync_gradients:
            self.optimizer.step(closure)

    def __repr__(self):
        return f'AcceleratedOptimizer({self.optimizer!r})'


class AcceleratedScheduler:
    def __init__(self, scheduler, gradient_state):
        self.scheduler = scheduler
        self.gradient_state = gradient_state

    def step(self, *args, **kwargs):
        if not self.gradient_state.sync_gradients:
            return
        self.scheduler.step(*args, **kwargs)

    def get_last_lr(self):
        return self.scheduler.get_last_lr()

    def state_dict(self):
        return self.scheduler.state_dict()

    def load_state_dict(self, state_dict):
        self.scheduler.load_state_dict(state_dict)


class _DataLoaderShard:
    def __init__(self, loader, gradient_state):
        self.loader = loader
        self.gradient_state = gradient_state

    def __len__(self):
        return len(self.loader)

    def __getattr__(self, name):
        return getattr(self.loader, name)

    def __iter__(self):
        self.gradient_state.end_of_dataloader = False
        it = iter(self.loader)
        try:
            current = next(it)
        except StopIteration:
            return
        for following in it:
            yield current
            current = following
        self.gradient_state.end_of_dataloader = True
        yield current


class Accelerator:
    def __init__(self, cpu=False, mixed_precision=None, gradient_accumulation_steps=1, **kwargs):
        self.device = torch.device('cpu')
        self.mixed_precision = mixed_precision or 'no'
        self.distributed_type = DistributedType.NO
        self.num_processes = 1
        self.process_index = 0
        self.is_main_process = True
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.gradient_state = _GradientState(gradient_accumulation_steps)
        self.step = 0

    @property
    def sync_gradients(self):
        return self.gradient_state.sync_gradients

    def prepare(self, *args):
        out = []
        for obj in args:
            if isinstance(obj, torch.optim.Optimizer) and not isinstance(obj, AcceleratedOptimizer):
                out.append(AcceleratedOptimizer(obj, self.gradient_state))
            elif isinstance(obj, torch.utils.data.DataLoader):
                out.append(_DataLoaderShard(obj, self.gradient_state))
            elif hasattr(obj, 'step') and hasattr(obj, 'optimizer') and not isinstance(obj, torch.nn.Module):
                out.append(AcceleratedScheduler(obj, self.gradient_state))
            else:
                out.append(obj)
        return tuple(out) if len(out) > 1 else out[0]

    def _do_sync(self):
        if self.gradient_state.end_of_dataloader:
            self.step = 0
            self.gradient_state.sync_gradients = True
        else:
            self.step += 1
            self.gradient_state.sync_gradients = (self.step % self.gradient_accumulation_steps) == 0

    @contextlib.contextmanager
    def accumulate(self, *models):
        self._do_sync()
        yield

    def backward(self, loss, **kwargs):
        if self.gradient_accumulation_steps > 1:
            loss = loss / self.gradient_accumulation_steps
        loss.backward(**kwargs)

    def gather_for_metrics(self, tensors):
        return tensors

    def gather(self, tensors):
        return tensors

    @contextlib.contextmanager
    def main_process_first(self):
        yield

    def print(self, *args, **kwargs):
        print(*args, **kwargs)

    def wait_for_everyone(self):
        pass

    def end_training(self):
        pass
