"""Stand-in for torchvision.datasets: nothing is read or downloaded; small seeded synthetic sets.

Each item is (image, target) with image a uint8 CHW tensor (what ToTensor turns into floats),
generated from the item's index like the real FakeData does, so a set is the same in every run.
"""
import torch
from torch.utils.data import Dataset


class FakeData(Dataset):
    def __init__(self, size=1000, image_size=(3, 224, 224), num_classes=10, transform=None,
                 target_transform=None, random_offset=0):
        self.size = size
        self.image_size = tuple(image_size)
        self.num_classes = num_classes
        self.transform = transform
        self.target_transform = target_transform
        self.random_offset = random_offset

    def __len__(self):
        return self.size

    def __getitem__(self, index):
        if index >= len(self):
            raise IndexError(f'{type(self).__name__} index out of range')
        gen = torch.Generator().manual_seed(index + self.random_offset)
        img = torch.randint(0, 256, self.image_size, generator=gen, dtype=torch.uint8)
        target = int(torch.randint(0, self.num_classes, (1,), generator=gen))
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target


class MNIST(FakeData):
    """60000/10000 images in the real set; 256/64 synthetic 1x28x28 ones here."""

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        super().__init__(256 if train else 64, (1, 28, 28), 10, transform, target_transform,
                         random_offset=0 if train else 100000)
        self.root = root
        self.train = train


class CIFAR10(FakeData):
    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        super().__init__(256 if train else 64, (3, 32, 32), 10, transform, target_transform,
                         random_offset=0 if train else 100000)


class ImageFolder(FakeData):
    def __init__(self, root, transform=None, target_transform=None):
        super().__init__(128, (3, 64, 64), 10, transform, target_transform)
        self.root = root
