"""Stand-in for torchvision.models: every architecture name builds the same tiny conv net."""
import torch.nn as nn


class _TinyNet(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1), nn.BatchNorm2d(8), nn.ReLU(inplace=True),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(8, num_classes)

    def forward(self, x):
        return self.fc(self.features(x))


def resnet18(pretrained=False, num_classes=1000, **kwargs):
    return _TinyNet(num_classes)


def resnet50(pretrained=False, num_classes=1000, **kwargs):
    return _TinyNet(num_classes)


def alexnet(pretrained=False, num_classes=1000, **kwargs):
    return _TinyNet(num_classes)
