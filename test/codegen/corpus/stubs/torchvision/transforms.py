"""Stand-in for torchvision.transforms: images are uint8 CHW tensors (the stand-in's "PIL image")."""
import torch
import torch.nn.functional as F


class Compose:
    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img


class ToTensor:
    """uint8 [0, 255] -> float [0, 1], as the real ToTensor does for PIL images."""

    def __call__(self, img):
        if img.dtype == torch.uint8:
            return img.float().div(255)
        return img.float()


class Normalize:
    def __init__(self, mean, std):
        self.mean = torch.tensor(mean).view(-1, 1, 1)
        self.std = torch.tensor(std).view(-1, 1, 1)

    def __call__(self, tensor):
        return (tensor - self.mean) / self.std


def _size(size):
    return (size, size) if isinstance(size, int) else tuple(size)


def _resize(img, size):
    dtype = img.dtype
    out = F.interpolate(img.float().unsqueeze(0), size=size, mode='bilinear', align_corners=False).squeeze(0)
    return out.round().clamp(0, 255).to(dtype) if dtype == torch.uint8 else out


class Resize:
    def __init__(self, size):
        self.size = size

    def __call__(self, img):
        if isinstance(self.size, int):
            h, w = img.shape[-2:]
            short = min(h, w)
            size = (round(h * self.size / short), round(w * self.size / short))
        else:
            size = tuple(self.size)
        return _resize(img, size)


class CenterCrop:
    def __init__(self, size):
        self.size = _size(size)

    def __call__(self, img):
        h, w = img.shape[-2:]
        th, tw = self.size
        top, left = max(0, (h - th) // 2), max(0, (w - tw) // 2)
        return img[..., top:top + th, left:left + tw]


class RandomResizedCrop:
    def __init__(self, size, scale=(0.08, 1.0)):
        self.size = _size(size)
        self.scale = scale

    def __call__(self, img):
        h, w = img.shape[-2:]
        frac = float(torch.empty(1).uniform_(self.scale[0], self.scale[1])) ** 0.5
        ch, cw = max(1, int(h * frac)), max(1, int(w * frac))
        top = int(torch.randint(0, h - ch + 1, (1,)))
        left = int(torch.randint(0, w - cw + 1, (1,)))
        return _resize(img[..., top:top + ch, left:left + cw], self.size)


class RandomHorizontalFlip:
    def __init__(self, p=0.5):
        self.p = p

    def __call__(self, img):
        return img.flip(-1) if float(torch.rand(1)) < self.p else img
