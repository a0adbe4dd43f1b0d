"""Spirals (3 classes) with an MLP, AdamW with weight decay 0.01."""
import argparse
import sys

import torch
from torch import nn

sys.path.insert(0, __import__("os").path.dirname(__file__))
from bench_data import batches, report, spirals  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--epochs", type=int, default=4)
args = parser.parse_args()
torch.manual_seed(args.seed)
x, y = spirals(2048, 1)
tx, ty = spirals(1024, 2)
model = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
loss_fn = nn.CrossEntropyLoss()
g = torch.Generator().manual_seed(args.seed)
for epoch in range(args.epochs):
    model.train()
    for xb, yb in batches(x, y, 32, g):
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
report(model, tx, ty)
