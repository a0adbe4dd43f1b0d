"""Stand-in for torchvision (see ../README.md): the names the corpus scripts use, on synthetic data."""
from . import datasets, models, transforms, utils  # noqa: F401

__version__ = '0.14.1-standin'
