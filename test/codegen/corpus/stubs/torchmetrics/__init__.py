"""Stand-in for torchmetrics (see ../README.md)."""
