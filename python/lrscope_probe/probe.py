"""The probe's state: which optimizer it drives, the losses seen since the last step, the step count.

``torch_hooks`` calls into one ``Probe`` from the patched torch functions; the probe asks LR Scope
for the values of every step (``Control``) and reports each step (``Events``).
"""
from __future__ import annotations

import weakref
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .channel import Control, Events, forked, optional_float


class ProbeStop(BaseException):
    """Raised from inside ``optimizer.step()`` to end the script when LR Scope says stop.

    A ``BaseException``, so the script's ``except Exception`` handlers let it through; the probe's
    runner catches it and exits with status 0.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Probe:
    def __init__(self, events: Events, control: Control, world_size: int = 1) -> None:
        self.events = events
        self.control = control
        #: Ranks in the launcher's job (1 without a launcher).
        self.world_size = world_size
        #: Processes the script started itself (multiprocessing / torch.multiprocessing).
        self.processes = 0
        #: The optimizer whose LR the probe drives: the first one that steps.
        self.optimizer: Any = None
        self._created: "weakref.WeakKeyDictionary[Any, List[float]]" = weakref.WeakKeyDictionary()
        #: LR of each param group when the probe first saw it (the script's own LRs).
        self._base_lrs: List[float] = []
        #: Each group's LR relative to the first group's, for as many groups as were seen (``_ratios``).
        self._group_ratios: List[float] = []
        #: Number of optimizer steps taken so far (the index of the next step).
        self.steps = 0
        self._pending: List[Any] = []
        self._nonscalar: Optional[Tuple[int, ...]] = None
        self._in_step = False
        self._step_losses: List[Any] = []
        self._last_set: Optional[List[float]] = None
        self._scaled: Optional[Tuple[Any, Any]] = None
        self._scaler_marks: Dict[int, int] = {}
        self._notes: set = set()
        self.stopped: Optional[str] = None
        self.suppressed_paths: List[str] = []

    @property
    def in_step(self) -> bool:
        """True while the driven optimizer's own step runs, or in a process forked from the probed one."""
        return self._in_step or forked()

    def saw_process_start(self) -> None:
        """The script started a process of its own (hogwild-style workers, data workers …)."""
        if forked():
            return
        self.processes += 1
        self.events.send("processes", started=self.processes)

    # -- notes ---------------------------------------------------------------------------------

    def note_once(self, key: str, text: str) -> None:
        if key in self._notes:
            return
        self._notes.add(key)
        self.events.send("note", text=text)

    # -- optimizers ----------------------------------------------------------------------------

    def saw_optimizer(self, optimizer: Any) -> None:
        """Called when the script creates an optimizer: remembers the LRs it gave each param group."""
        self._created[optimizer] = [float(group["lr"]) for group in optimizer.param_groups]

    def drives(self, optimizer: Any) -> bool:
        """Whether ``optimizer``'s step is driven: the first optimizer that steps is; others are noted."""
        if self.optimizer is None:
            self.optimizer = optimizer
            self._base_lrs = self._created.get(optimizer) or [float(group["lr"]) for group in optimizer.param_groups]
            return True
        if optimizer is self.optimizer:
            return True
        self.note_once(
            "other-optimizer",
            f"the script steps more than one optimizer: LR Scope drives the first to step "
            f"({type(self.optimizer).__name__}); {type(optimizer).__name__} keeps its own LR",
        )
        return False

    def _ratios(self, groups: Sequence[Dict[str, Any]]) -> List[float]:
        """Each group's LR relative to the first group's, as the script set them (discriminative LRs)."""
        if len(groups) == len(self._group_ratios):
            return self._group_ratios
        for group in groups[len(self._base_lrs):]:  # groups added after construction
            self._base_lrs.append(float(group.get("initial_lr", group["lr"])))
        reference = next((lr for lr in self._base_lrs if lr > 0), None)
        if reference is None:
            self._group_ratios = [1.0] * len(groups)
        else:
            self._group_ratios = [lr / reference for lr in self._base_lrs[: len(groups)]]
        return self._group_ratios

    def _apply(self, optimizer: Any, lr: float, momentum: Optional[float]) -> Optional[float]:
        """Sets the step's LR on every group (keeping their ratios) and the momentum where the optimizer has one."""
        groups = optimizer.param_groups
        if self._last_set is not None and any(group["lr"] != set_lr for group, set_lr in zip(groups, self._last_set)):
            self.note_once(
                "script-sets-lr",
                "the script changes the learning rate itself (param_groups[…]['lr']): LR Scope overrides it before every step",
            )
        applied: Optional[float] = None
        for group, ratio in zip(groups, self._ratios(groups)):
            group["lr"] = lr * ratio
            if momentum is None:
                continue
            if "betas" in group:
                group["betas"] = (momentum, *tuple(group["betas"])[1:])
                applied = momentum
            elif group.get("momentum", 0) > 0:
                group["momentum"] = momentum
                applied = momentum
        if momentum is not None and applied is None:
            self.note_once(
                "no-momentum",
                f"the schedule cycles momentum but {type(optimizer).__name__} has no momentum or betas to cycle "
                f"(momentum 0): only the LR follows the schedule",
            )
        self._last_set = [group["lr"] for group in groups]
        return applied

    def run_step(self, optimizer: Any, step: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        """The driven optimizer's ``step``: ask for the values, apply them, step, report."""
        if self.stopped is not None:
            raise ProbeStop(self.stopped)
        if self.steps == 0 and self.world_size > 1:
            self._check_process_group()
        message = self.control.next(self.steps)
        if "stop" in message:
            self.stopped = str(message["stop"])
            raise ProbeStop(self.stopped)
        lr = float(message["lr"])
        momentum = self._apply(optimizer, lr, optional_float(message, "momentum"))

        losses, self._pending = self._pending, []
        nonscalar, self._nonscalar = self._nonscalar, None
        self._in_step, self._step_losses = True, []
        try:
            result = step(optimizer, *args, **kwargs)
        finally:
            self._in_step = False
        if not losses and self._step_losses:
            losses = self._step_losses[:1]  # a closure (LBFGS & co.): its first loss, before the update
        self._step_losses = []

        step_index = self.steps
        self.steps += 1
        if losses:
            self.events.step(step_index, lr, losses, momentum, self.control.queued)
        else:
            problem: Dict[str, Any] = {"lossProblem": "no-backward"} if nonscalar is None else {"lossProblem": "non-scalar", "shape": list(nonscalar)}
            self.events.send("step", step=step_index, lr=lr, loss=None, **({} if momentum is None else {"momentum": momentum}), **problem)
        return result

    def _check_process_group(self) -> None:
        import torch.distributed as dist

        if not (dist.is_available() and dist.is_initialized()):
            self.note_once(
                "no-process-group",
                "the ranks step without a torch.distributed process group: they train independently; "
                "LR Scope gives each the same LR per step and averages their losses",
            )

    # -- losses --------------------------------------------------------------------------------

    def saw_backward(self, tensors: Any, torch: Any) -> None:
        """Records the scalar tensors the script back-propagates (the unscaled loss for GradScaler's output)."""
        if forked():
            return
        if isinstance(tensors, torch.Tensor):
            tensors = (tensors,)
        for tensor in tensors:
            if not isinstance(tensor, torch.Tensor):
                continue
            if self._scaled is not None and tensor is self._scaled[0]:
                tensor = self._scaled[1]
                self._scaled = None
            if tensor.numel() == 1:
                # on the CPU the value is there already; on an accelerator reading it would wait for the
                # device, so a copy is kept and read when its batch of steps is written
                value = float(tensor) if tensor.is_cpu else tensor.detach().clone()
                (self._step_losses if self._in_step else self._pending).append(value)
            else:
                self._nonscalar = tuple(tensor.shape)

    def saw_scale(self, scaled: Any, original: Any) -> None:
        """GradScaler.scale(loss) returned ``scaled``: record ``original`` when ``scaled`` is back-propagated."""
        self._scaled = (scaled, original)

    def saw_scaler_update(self, scaler: Any) -> None:
        """GradScaler.update(): when no step happened since its last update, the scaler skipped it."""
        key = id(scaler)
        last = self._scaler_marks.get(key, 0)
        self._scaler_marks[key] = self.steps
        if last == self.steps and self._pending:
            self._pending = []
            self.events.send("skip", step=self.steps)

    # -- checkpoints ---------------------------------------------------------------------------

    def suppressed(self, writer: str, path: str) -> None:
        """A checkpoint write was suppressed (reported once per path)."""
        if path in self.suppressed_paths:
            return
        self.suppressed_paths.append(path)
        self.events.send("suppressed", writer=writer, path=path)
