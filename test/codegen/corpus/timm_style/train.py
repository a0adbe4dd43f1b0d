# Follows the structure of huggingface/pytorch-image-models train.py (the create_scheduler era):
# `lr_scheduler, num_epochs = create_scheduler(args, optimizer)`, `lr_scheduler.step(start_epoch)`
# on resume, train_one_epoch(...) calling `lr_scheduler.step_update(num_updates=...)` after each
# optimizer step, and `lr_scheduler.step(epoch + 1, eval_metric)` after each epoch. The schedule is
# per epoch (t_in_epochs). timm is the stand-in in ../stubs (its cosine scheduler formula); the
# optimizer is torch's SGD (timm's create_optimizer_v2 would build the same for --opt sgd); data
# is synthetic.
import argparse
from collections import OrderedDict

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from timm.scheduler import create_scheduler

parser = argparse.ArgumentParser(description='PyTorch ImageNet Training')
parser.add_argument('--model', default='tiny', type=str)
parser.add_argument('-b', '--batch-size', type=int, default=128)
parser.add_argument('--opt', default='sgd', type=str)
parser.add_argument('--momentum', type=float, default=0.9)
parser.add_argument('--weight-decay', type=float, default=2e-5)
parser.add_argument('--sched', default='cosine', type=str)
parser.add_argument('--lr', type=float, default=0.05)
parser.add_argument('--warmup-lr', type=float, default=0.0001)
parser.add_argument('--min-lr', type=float, default=1e-6)
parser.add_argument('--epochs', type=int, default=300)
parser.add_argument('--start-epoch', default=None, type=int)
parser.add_argument('--warmup-epochs', type=int, default=3)
parser.add_argument('--cooldown-epochs', type=int, default=10)
parser.add_argument('--seed', type=int, default=42)
parser.add_argument('--log-interval', type=int, default=50)


def train_one_epoch(epoch, model, loader, optimizer, loss_fn, args, lr_scheduler=None):
    model.train()
    num_updates = epoch * len(loader)
    losses = []
    for batch_idx, (input, target) in enumerate(loader):
        output = model(input)
        loss = loss_fn(output, target)
        losses.append(loss.item())

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        num_updates += 1
        if batch_idx % args.log_interval == 0:
            lrl = [param_group['lr'] for param_group in optimizer.param_groups]
            print(f'Train: {epoch} [{batch_idx}/{len(loader)}] Loss: {loss.item():.4f} LR: {lrl[0]:.3e}')

        if lr_scheduler is not None:
            lr_scheduler.step_update(num_updates=num_updates, metric=sum(losses) / len(losses))

    return OrderedDict([('loss', sum(losses) / len(losses))])


def validate(model, loader, loss_fn):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for input, target in loader:
            total += loss_fn(model(input), target).item()
    return OrderedDict([('loss', total / len(loader))])


def main():
    args = parser.parse_args()
    torch.manual_seed(args.seed)

    x = torch.randn(320, 32)
    y = (x[:, :4].sum(1) > 0).long()
    loader_train = DataLoader(TensorDataset(x[:256], y[:256]), batch_size=args.batch_size, shuffle=True)
    loader_eval = DataLoader(TensorDataset(x[256:], y[256:]), batch_size=args.batch_size)

    model = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum,
                                weight_decay=args.weight_decay, nesterov=True)

    lr_scheduler, num_epochs = create_scheduler(args, optimizer)
    start_epoch = 0
    if args.start_epoch is not None:
        start_epoch = args.start_epoch
    if lr_scheduler is not None and start_epoch > 0:
        lr_scheduler.step(start_epoch)
    print('Scheduled epochs: {}'.format(num_epochs))

    train_loss_fn = nn.CrossEntropyLoss()
    validate_loss_fn = nn.CrossEntropyLoss()
    eval_metric = 'loss'
    for epoch in range(start_epoch, num_epochs):
        train_metrics = train_one_epoch(epoch, model, loader_train, optimizer, train_loss_fn, args,
                                        lr_scheduler=lr_scheduler)
        eval_metrics = validate(model, loader_eval, validate_loss_fn)
        if lr_scheduler is not None:
            # step LR for next epoch
            lr_scheduler.step(epoch + 1, eval_metrics[eval_metric])
        print(f'epoch {epoch}: train {train_metrics["loss"]:.4f} eval {eval_metrics["loss"]:.4f}')


if __name__ == '__main__':
    main()
