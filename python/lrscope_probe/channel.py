"""The two pipes to LR Scope: JSON-line events out, control lines in.

Events never go to the script's stdout/stderr, which stay the script's own.
"""
from __future__ import annotations

import json
import math
import os
import select
import time
from collections import deque
from typing import Any, Callable, Deque, Dict, List, Optional


def wire_number(value: float) -> Any:
    """A float as JSON can carry it: non-finite values become the strings NaN, Infinity, -Infinity."""
    if math.isfinite(value):
        return value
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


class Events:
    """Writes one JSON object per line to a file descriptor.

    Every event is written at once, except step events when ``batch_steps`` (schedule trials):
    those are gathered and written together — every ``BATCH`` steps, after ``BATCH_SECONDS``, before
    any other event, and before the probe waits for LR Scope — so that a fast script costs LR Scope
    one read per batch rather than one per step.
    """

    BATCH = 16
    BATCH_SECONDS = 0.05

    def __init__(self, fd: int, batch_steps: bool = False) -> None:
        self._fd = fd
        _own(fd)
        self._batch_steps = batch_steps
        self._pending: List[bytes] = []
        self._last_flush = time.monotonic()

    def send(self, event: str, **fields: Any) -> None:
        line = (json.dumps({"event": event, **fields}, allow_nan=False) + "\n").encode("utf-8")
        if event == "step" and self._batch_steps:
            self._pending.append(line)
            if len(self._pending) >= self.BATCH or time.monotonic() - self._last_flush >= self.BATCH_SECONDS:
                self.flush()
            return
        self._pending.append(line)
        self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        data = b"".join(self._pending)
        self._pending = []
        self._last_flush = time.monotonic()
        view = memoryview(data)
        while view:
            try:
                written = os.write(self._fd, view)
            except BrokenPipeError:
                return  # LR Scope is gone; the control pipe tells the probe to stop
            view = view[written:]


class Control:
    """Reads LR Scope's control lines, one per optimizer step.

    A line is either ``{"lr": x, "momentum": m?}`` (the values for the next step) or
    ``{"stop": reason}``. LR Scope may send values a few steps ahead; a stop that has arrived is
    obeyed at the very next step, ahead of any values still queued. The end of the pipe (LR Scope
    gone) reads as a stop.
    """

    def __init__(self, fd: int, before_wait: Callable[[], None] = lambda: None) -> None:
        _own(fd)
        self._fd = fd
        self._before_wait = before_wait
        self._partial = b""
        self._queue: Deque[Dict[str, Any]] = deque()
        self._stop: Optional[Dict[str, Any]] = None

    def next(self) -> Dict[str, Any]:
        self._read(block=False)
        if self._stop is None and not self._queue:
            self._before_wait()  # LR Scope answers what it has seen: let it see everything
        while self._stop is None and not self._queue:
            self._read(block=True)
        if self._stop is not None:
            return self._stop
        return self._queue.popleft()

    def _read(self, block: bool) -> None:
        """Takes in what has arrived (waiting for something when ``block``)."""
        while self._stop is None:
            if not block and not select.select([self._fd], [], [], 0)[0]:
                return
            chunk = os.read(self._fd, 65536)
            if not chunk:
                self._stop = {"stop": "lrscope-closed"}
                return
            *lines, self._partial = (self._partial + chunk).split(b"\n")
            for line in lines:
                if line.strip():
                    self._take(line)
            block = False

    def _take(self, line: bytes) -> None:
        message = json.loads(line)
        if not isinstance(message, dict):
            raise ValueError(f"lrscope_probe: bad control line {line!r}")
        if "stop" in message:
            self._stop = message
        else:
            self._queue.append(message)


def _own(fd: int) -> None:
    """Blocking I/O, and not inherited by the script's own subprocesses."""
    try:
        os.set_blocking(fd, True)
    except (AttributeError, OSError):  # os.set_blocking: POSIX (Windows from Python 3.12)
        pass
    os.set_inheritable(fd, False)


def optional_float(message: Dict[str, Any], key: str) -> Optional[float]:
    value = message.get(key)
    return None if value is None else float(value)
