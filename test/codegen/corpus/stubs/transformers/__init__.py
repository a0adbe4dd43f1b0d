"""Stand-in for transformers (see ../README.md).

The schedule factories are the real formulas (transformers/optimization.py): LambdaLR over the
optimizer, stepped once per optimizer update. The tokenizer and model are tiny stand-ins.
"""
import math
import random
import zlib
from functools import partial

import numpy as np
import torch
import torch.nn as nn
from torch.optim.lr_scheduler import LambdaLR


def set_seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _linear_with_warmup(current_step, *, num_warmup_steps, num_training_steps):
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    return max(0.0, float(num_training_steps - current_step) / float(max(1, num_training_steps - num_warmup_steps)))


def get_linear_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps, last_epoch=-1):
    lr_lambda = partial(_linear_with_warmup, num_warmup_steps=num_warmup_steps, num_training_steps=num_training_steps)
    return LambdaLR(optimizer, lr_lambda, last_epoch)


def _cosine_with_warmup(current_step, *, num_warmup_steps, num_training_steps, num_cycles):
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    progress = float(current_step - num_warmup_steps) / float(max(1, num_training_steps - num_warmup_steps))
    return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress)))


def get_cosine_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps, num_cycles=0.5, last_epoch=-1):
    lr_lambda = partial(_cosine_with_warmup, num_warmup_steps=num_warmup_steps,
                        num_training_steps=num_training_steps, num_cycles=num_cycles)
    return LambdaLR(optimizer, lr_lambda, last_epoch)


def get_constant_schedule(optimizer, last_epoch=-1):
    return LambdaLR(optimizer, lambda _: 1, last_epoch=last_epoch)


def get_scheduler(name, optimizer, num_warmup_steps=None, num_training_steps=None, **kwargs):
    name = getattr(name, 'value', name)
    if name == 'constant':
        return get_constant_schedule(optimizer)
    if name == 'linear':
        return get_linear_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps)
    if name == 'cosine':
        return get_cosine_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps)
    raise ValueError(f'stand-in transformers.get_scheduler: scheduler {name!r} is not in the stand-in')


class BatchEncoding(dict):
    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    def to(self, device):
        for k, v in self.items():
            self[k] = v.to(device)
        return self


class _Tokenizer:
    """Whitespace words hashed into a 1000-token vocabulary; id 0 is padding, 101/102 CLS/SEP."""

    vocab_size = 1000

    def _ids(self, text):
        return [103 + zlib.crc32(w.encode()) % (self.vocab_size - 103) for w in text.split()]

    def __call__(self, first, second=None, truncation=False, max_length=None):
        firsts = first if isinstance(first, list) else [first]
        seconds = second if isinstance(second, list) else ([second] if second is not None else [None] * len(firsts))
        ids, types = [], []
        for a, b in zip(firsts, seconds):
            x = [101] + self._ids(a) + [102]
            t = [0] * len(x)
            if b is not None:
                y = self._ids(b) + [102]
                x, t = x + y, t + [1] * len(y)
            ids.append(x)
            types.append(t)
        out = {'input_ids': ids, 'token_type_ids': types, 'attention_mask': [[1] * len(x) for x in ids]}
        return out if isinstance(first, list) else {k: v[0] for k, v in out.items()}

    def pad(self, examples, padding='longest', max_length=None, pad_to_multiple_of=None, return_tensors='pt'):
        longest = max(len(e['input_ids']) for e in examples)
        if max_length is not None:
            longest = max_length
        if pad_to_multiple_of:
            longest = -(-longest // pad_to_multiple_of) * pad_to_multiple_of
        batch = {}
        for key in examples[0]:
            if key in ('input_ids', 'token_type_ids', 'attention_mask'):
                batch[key] = torch.tensor([e[key] + [0] * (longest - len(e[key])) for e in examples])
            else:
                batch[key] = torch.tensor([e[key] for e in examples])
        return BatchEncoding(batch)


class AutoTokenizer:
    @staticmethod
    def from_pretrained(name, **kwargs):
        return _Tokenizer()


class SequenceClassifierOutput:
    def __init__(self, loss, logits):
        self.loss = loss
        self.logits = logits


class _BagOfEmbeddingsClassifier(nn.Module):
    def __init__(self, num_labels=2):
        super().__init__()
        self.embeddings = nn.Embedding(_Tokenizer.vocab_size, 16, padding_idx=0)
        self.classifier = nn.Linear(16, num_labels)

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, labels=None):
        mask = attention_mask.unsqueeze(-1).float()
        pooled = (self.embeddings(input_ids) * mask).sum(1) / mask.sum(1).clamp(min=1)
        logits = self.classifier(pooled)
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return SequenceClassifierOutput(loss, logits)


class AutoModelForSequenceClassification:
    @staticmethod
    def from_pretrained(name, return_dict=True, num_labels=2, **kwargs):
        return _BagOfEmbeddingsClassifier(num_labels)
