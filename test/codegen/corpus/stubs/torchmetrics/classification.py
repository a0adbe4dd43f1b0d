"""Stand-in for torchmetrics.classification.Accuracy (multiclass, micro average)."""
import torch


class Accuracy:
    def __init__(self, task='multiclass', num_classes=None):
        self.correct = 0
        self.total = 0

    def to(self, device):
        return self

    def __call__(self, preds, target):
        pred = preds.argmax(dim=1) if preds.dim() > 1 else preds
        self.correct += int((pred == target).sum())
        self.total += int(target.numel())

    def compute(self):
        return torch.tensor(self.correct / max(1, self.total))

    def reset(self):
        self.correct = 0
        self.total = 0
