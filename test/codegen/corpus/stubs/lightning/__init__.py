"""Stand-in for lightning (see ../README.md)."""
