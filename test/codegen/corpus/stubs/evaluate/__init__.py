"""Stand-in for Hugging Face `evaluate`: load(...) gives an accuracy metric with add_batch/compute."""


class _Accuracy:
    def __init__(self):
        self.correct = 0
        self.total = 0

    def add_batch(self, predictions, references):
        self.correct += int((predictions == references).sum())
        self.total += int(references.numel())

    def compute(self):
        acc = self.correct / max(1, self.total)
        self.correct = self.total = 0
        return {'accuracy': acc}


def load(path, config_name=None, **kwargs):
    return _Accuracy()
