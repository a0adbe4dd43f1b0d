"""MNIST (4,000 images) with an MLP, SGD with momentum: the plainest PyTorch script."""
import argparse
import sys

import torch
from torch import nn

sys.path.insert(0, __import__("os").path.dirname(__file__))
from bench_data import batches, mnist, report  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--epochs", type=int, default=2)
args = parser.parse_args()
torch.manual_seed(args.seed)
(x, y), (tx, ty) = mnist(4000, 1000)
x, tx = x.flatten(1), tx.flatten(1)
model = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
g = torch.Generator().manual_seed(args.seed)
for epoch in range(args.epochs):
    model.train()
    for xb, yb in batches(x, y, 64, g):
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
report(model, tx, ty)
