"""LR Scope's PyTorch probe.

Runs an unmodified PyTorch training script and, through a few hooks on torch, drives the learning
rate of its optimizer step by step and records the loss of every step. LR Scope (the Node side)
starts it as ``python -m lrscope_probe … -- script.py [args]`` and talks to it over two file
descriptors: JSON-line events out, control lines in. See README.md beside this package.

Pure Python; the only dependency is torch (imported once the channels are open, so that a missing
torch is reported as such).
"""

__version__ = "0.1.0"

#: Version of the event/control line protocol spoken with LR Scope.
PROTOCOL = 3
