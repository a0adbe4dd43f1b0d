"""The patches on torch: optimizer steps, backward, LR schedulers, GradScaler (and ``Process.start``,
to tell a script whose training runs in processes of its own).

Everything is patched at class or module level before the script runs, so the script's own
``from torch.optim import SGD`` or ``from torch.autograd import backward`` get the hooked versions.
"""
from __future__ import annotations

import functools
from typing import Any

from .probe import Probe

_MARK = "_lrscope_probed"


def install(torch: Any, probe: Probe) -> None:
    _hook_optimizers(torch, probe)
    _hook_backward(torch, probe)
    _neutralise_schedulers(torch, probe)
    _hook_grad_scaler(torch, probe)
    _hook_process_start(probe)


def _hook_optimizers(torch: Any, probe: Probe) -> None:
    """Every optimizer's construction is seen; the class of each gets a ``step`` the probe can drive."""
    optimizer_class = torch.optim.Optimizer
    original_init = optimizer_class.__init__

    @functools.wraps(original_init)
    def probed_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        cls = type(self)
        if not getattr(cls.step, _MARK, False):
            cls.step = _probed_step(cls.step, probe)
        probe.saw_optimizer(self)

    optimizer_class.__init__ = probed_init


def _probed_step(step: Any, probe: Probe) -> Any:
    @functools.wraps(step)  # keeps torch's own markers (e.g. the profiler's `hooked`)
    def probed_step(self: Any, *args: Any, **kwargs: Any) -> Any:
        if probe.in_step or not probe.drives(self):  # a subclass' step calling super().step(), or not driven
            return step(self, *args, **kwargs)
        return probe.run_step(self, step, args, kwargs)

    setattr(probed_step, _MARK, True)
    return probed_step


def _hook_backward(torch: Any, probe: Probe) -> None:
    """``Tensor.backward`` calls ``torch.autograd.backward``: one hook sees both."""
    original = torch.autograd.backward

    @functools.wraps(original)
    def probed_backward(tensors: Any, *args: Any, **kwargs: Any) -> Any:
        probe.saw_backward(tensors, torch)
        return original(tensors, *args, **kwargs)

    torch.autograd.backward = probed_backward


def _neutralise_schedulers(torch: Any, probe: Probe) -> None:
    """The script's LR schedulers keep counting but no longer touch the LR or the momentum."""
    module = torch.optim.lr_scheduler
    bases = tuple(
        cls
        for cls in (getattr(module, "_LRScheduler", None), getattr(module, "LRScheduler", None), getattr(module, "ReduceLROnPlateau", None))
        if isinstance(cls, type)
    )
    for name in dir(module):
        cls = getattr(module, name)
        if isinstance(cls, type) and issubclass(cls, bases) and "step" in cls.__dict__:
            cls.step = _paused_step(cls.step, probe)


def _paused_step(step: Any, probe: Probe) -> Any:
    @functools.wraps(step)
    def paused_step(self: Any, *args: Any, **kwargs: Any) -> None:
        probe.note_once(
            "scheduler:" + type(self).__name__,
            f"the script's {type(self).__name__} is paused: LR Scope drives the learning rate while probing",
        )
        if hasattr(self, "last_epoch"):
            self.last_epoch += 1
        optimizer = getattr(self, "optimizer", None)
        if optimizer is not None:
            self._last_lr = [group["lr"] for group in optimizer.param_groups]

    return paused_step


def _hook_grad_scaler(torch: Any, probe: Probe) -> None:
    """GradScaler: remember the unscaled loss; a step it skips (inf/NaN gradients) is not counted."""
    amp = getattr(torch, "amp", None)
    candidates = [getattr(amp, "GradScaler", None), getattr(getattr(torch.cuda, "amp", None), "GradScaler", None)]
    for cls in candidates:
        if not isinstance(cls, type):
            continue
        if "scale" in cls.__dict__:
            cls.scale = _probed_scale(cls.scale, probe, torch)
        if "update" in cls.__dict__:
            cls.update = _probed_update(cls.update, probe)


def _probed_scale(original: Any, probe: Probe, torch: Any) -> Any:
    @functools.wraps(original)
    def probed_scale(self: Any, outputs: Any) -> Any:
        scaled = original(self, outputs)
        if scaled is not outputs and isinstance(outputs, torch.Tensor):
            probe.saw_scale(scaled, outputs)
        return scaled

    return probed_scale


def _probed_update(original: Any, probe: Probe) -> Any:
    @functools.wraps(original)
    def probed_update(self: Any, *args: Any, **kwargs: Any) -> Any:
        probe.saw_scaler_update(self)
        return original(self, *args, **kwargs)

    return probed_update


def _hook_process_start(probe: Probe) -> None:
    """``multiprocessing`` (and so ``torch.multiprocessing``) processes the script starts are counted."""
    import multiprocessing.process

    cls = multiprocessing.process.BaseProcess
    original = cls.start

    @functools.wraps(original)
    def probed_start(self: Any) -> None:
        probe.saw_process_start()
        return original(self)

    cls.start = probed_start
