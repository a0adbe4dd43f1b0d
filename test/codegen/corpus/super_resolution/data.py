# Stands in for pytorch/examples super_resolution/data.py + dataset.py: the original downloads
# BSDS300 and reads JPEGs; here get_training_set/get_test_set give seeded synthetic luminance
# images (64 train / 16 test, 32x32 targets) with the same (input, target) pairs: the input is the
# target resized down by upscale_factor.
import torch
import torch.nn.functional as F
from torch.utils.data import Dataset


def calculate_valid_crop_size(crop_size, upscale_factor):
    return crop_size - (crop_size % upscale_factor)


class SyntheticImages(Dataset):
    def __init__(self, size, seed, upscale_factor, crop_size):
        gen = torch.Generator().manual_seed(seed)
        self.targets = torch.rand(size, 1, crop_size, crop_size, generator=gen)
        self.inputs = F.interpolate(self.targets, scale_factor=1 / upscale_factor, mode='bilinear',
                                    align_corners=False)

    def __getitem__(self, index):
        return self.inputs[index], self.targets[index]

    def __len__(self):
        return len(self.targets)


def get_training_set(upscale_factor):
    return SyntheticImages(64, 0, upscale_factor, calculate_valid_crop_size(32, upscale_factor))


def get_test_set(upscale_factor):
    return SyntheticImages(16, 1, upscale_factor, calculate_valid_crop_size(32, upscale_factor))
