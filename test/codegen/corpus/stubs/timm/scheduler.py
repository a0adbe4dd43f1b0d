"""Stand-in for timm.scheduler: create_scheduler(args, optimizer) with args.sched == 'cosine'.

timm's CosineLRScheduler as timm computes it for t_in_epochs=True: lr(t) = warmup_lr_init +
t·(base − warmup_lr_init)/warmup_t for t < warmup_t, else lr_min + ½(base − lr_min)(1 + cos(π·t'/t_initial))
with t' = t − warmup_t (warmup_prefix), lr_min after t_initial. `step(epoch)` sets the LR of every
param group for that epoch; `step_update(num_updates)` changes nothing (per-epoch schedule).
"""
import math


class CosineLRScheduler:
    def __init__(self, optimizer, t_initial, lr_min=0.0, warmup_t=0, warmup_lr_init=0.0, t_in_epochs=True):
        self.optimizer = optimizer
        self.t_initial = t_initial
        self.lr_min = lr_min
        self.warmup_t = warmup_t
        self.warmup_lr_init = warmup_lr_init
        self.t_in_epochs = t_in_epochs
        for group in optimizer.param_groups:
            group.setdefault('initial_lr', group['lr'])
        self.base_values = [group['initial_lr'] for group in optimizer.param_groups]
        if warmup_t:
            self.warmup_steps = [(v - warmup_lr_init) / warmup_t for v in self.base_values]
            self._set(self.warmup_lr_init for _ in self.base_values)
        else:
            self.warmup_steps = [1 for _ in self.base_values]

    def _get_lr(self, t):
        if t < self.warmup_t:
            return [self.warmup_lr_init + t * s for s in self.warmup_steps]
        t = t - self.warmup_t
        if t < self.t_initial:
            return [self.lr_min + 0.5 * (base - self.lr_min) * (1 + math.cos(math.pi * t / self.t_initial))
                    for base in self.base_values]
        return [self.lr_min for _ in self.base_values]

    def _set(self, values):
        for group, value in zip(self.optimizer.param_groups, values):
            group['lr'] = value

    def step(self, epoch, metric=None):
        if self.t_in_epochs:
            self._set(self._get_lr(epoch))

    def step_update(self, num_updates, metric=None):
        if not self.t_in_epochs:
            self._set(self._get_lr(num_updates))

    def state_dict(self):
        return {}

    def load_state_dict(self, state_dict):
        pass


def create_scheduler(args, optimizer):
    num_epochs = args.epochs
    if getattr(args, 'sched', 'cosine') != 'cosine':
        raise ValueError(f'stand-in timm.scheduler.create_scheduler: only sched=cosine, got {args.sched!r}')
    lr_scheduler = CosineLRScheduler(optimizer, t_initial=num_epochs, lr_min=args.min_lr,
                                     warmup_t=args.warmup_epochs, warmup_lr_init=args.warmup_lr)
    num_epochs = num_epochs + getattr(args, 'cooldown_epochs', 0)
    return lr_scheduler, num_epochs
