"""Stand-in for lightning.fabric: one process, CPU. setup() returns the model and optimizer as
given (Fabric's wrappers forward step() unchanged), backward(loss) is loss.backward()."""
import contextlib
import random

import numpy as np
import torch


def seed_everything(seed=None):
    seed = 0 if seed is None else seed
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return seed


class Fabric:
    def __init__(self, accelerator='auto', strategy='auto', devices='auto', precision='32-true', **kwargs):
        self.device = torch.device('cpu')
        self.global_rank = 0
        self.world_size = 1
        self.is_global_zero = True

    def launch(self, function=None, *args):
        return function(self, *args) if function is not None else None

    def setup(self, model, *optimizers):
        return (model, *optimizers) if optimizers else model

    def setup_dataloaders(self, *loaders):
        return loaders if len(loaders) > 1 else loaders[0]

    def backward(self, loss):
        loss.backward()

    @contextlib.contextmanager
    def rank_zero_first(self, local=False):
        yield

    def all_gather(self, data):
        return torch.as_tensor(data)

    def print(self, *args, **kwargs):
        print(*args, **kwargs)

    def save(self, state, path):
        torch.save(state, path)
