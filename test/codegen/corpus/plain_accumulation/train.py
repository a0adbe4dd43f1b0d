# A plain PyTorch script with gradient accumulation: the loss is divided by accum_steps and
# the optimizer steps only when `(i + 1) % accum_steps == 0` (len(train_loader) is a multiple
# of accum_steps here, so every epoch has len(train_loader) // accum_steps optimizer steps).
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
inputs = torch.randn(192, 6)
targets = (inputs[:, 0] > 0).long()
train_loader = DataLoader(TensorDataset(inputs, targets), batch_size=8, shuffle=True)

model = nn.Sequential(nn.Linear(6, 12), nn.ReLU(), nn.Linear(12, 2))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
num_epochs = 2
accum_steps = 4

for epoch in range(num_epochs):
    optimizer.zero_grad()
    for i, (xb, yb) in enumerate(train_loader):
        loss = criterion(model(xb), yb) / accum_steps
        loss.backward()
        if (i + 1) % accum_steps == 0:
            optimizer.step()
            optimizer.zero_grad()
    print("epoch", epoch, float(loss))
