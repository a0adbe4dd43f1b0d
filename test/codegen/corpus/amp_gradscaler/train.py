# Follows the PyTorch "Automatic Mixed Precision" recipe as training scripts use it (e.g. the
# ConvNeXt / classification-reference loops): torch.cuda.amp.GradScaler(enabled=use_amp),
# autocast around the forward pass, scaler.scale(loss).backward(), scaler.step(optimizer),
# scaler.update(), and a per-epoch CosineAnnealingLR(T_max=args.epochs) stepped after each epoch.
# On this CPU-only torch 1.13 the GradScaler is CUDA-only: constructed with enabled=True it warns
# "CUDA is not available. Disabling." and scaler.step(optimizer) then calls optimizer.step()
# unconditionally -- which is what a run can measure here; a step the scaler skips for inf/nan
# gradients (CUDA only) never reaches optimizer.step() and would not be counted by the recorder.
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def make_model(width):
    return nn.Sequential(
        nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.GELU(),
        nn.Conv2d(width, width, 3, padding=1, groups=width), nn.BatchNorm2d(width), nn.GELU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(width, 10),
    )


def train_one_epoch(model, criterion, data_loader, optimizer, scaler, device, epoch, use_amp):
    model.train()
    for step, (samples, targets) in enumerate(data_loader):
        samples = samples.to(device, non_blocking=True)
        targets = targets.to(device, non_blocking=True)
        with torch.cuda.amp.autocast(enabled=use_amp):
            output = model(samples)
            loss = criterion(output, targets)
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.unscale_(optimizer)
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        scaler.step(optimizer)
        scaler.update()
        if step % 10 == 0:
            print(f"epoch {epoch} step {step}/{len(data_loader)} loss {loss.item():.4f}")


def main(args):
    torch.manual_seed(args.seed)
    device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    use_amp = not args.no_amp

    images = torch.randn(args.num_samples, 3, 16, 16)
    labels = torch.randint(0, 10, (args.num_samples,))
    data_loader_train = DataLoader(TensorDataset(images, labels), batch_size=args.batch_size,
                                   shuffle=True, drop_last=True)

    model = make_model(args.width).to(device)
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    lr_scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    scaler = torch.cuda.amp.GradScaler(enabled=use_amp)

    for epoch in range(args.start_epoch, args.epochs):
        train_one_epoch(model, criterion, data_loader_train, optimizer, scaler, device, epoch, use_amp)
        lr_scheduler.step()
        torch.save({'model': model.state_dict(), 'optimizer': optimizer.state_dict(),
                    'lr_scheduler': lr_scheduler.state_dict(), 'scaler': scaler.state_dict(),
                    'epoch': epoch}, 'checkpoint.pth')


def get_args_parser():
    parser = argparse.ArgumentParser('AMP training', add_help=True)
    parser.add_argument('--batch-size', default=64, type=int)
    parser.add_argument('--epochs', default=300, type=int)
    parser.add_argument('--start-epoch', default=0, type=int)
    parser.add_argument('--lr', default=4e-3, type=float)
    parser.add_argument('--weight-decay', default=0.05, type=float)
    parser.add_argument('--width', default=16, type=int)
    parser.add_argument('--num-samples', default=512, type=int)
    parser.add_argument('--no-amp', action='store_true')
    parser.add_argument('--seed', default=0, type=int)
    return parser


if __name__ == '__main__':
    main(get_args_parser().parse_args())
