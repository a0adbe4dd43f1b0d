"""The probe's one connection to LR Scope: a loopback TCP socket, events out, control lines in.

LR Scope listens on 127.0.0.1 and names the port in ``LRSCOPE_PROBE_CONNECT``; the run's secret
key lies in a file named by ``LRSCOPE_PROBE_KEY`` (LR Scope deletes it once every rank has
connected, before any script runs). Both variables are removed from the environment before the
script runs, and the socket is not inherited by the script's subprocesses. Every event is a
frame signed with the key, the connection's nonce and its sequence number, so bytes the script
writes to any descriptor (the socket's included) are never taken for an event.

Events never go to the script's stdout/stderr, which stay the script's own.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import select
import socket
import time
from collections import deque
from typing import Any, Callable, Deque, Dict, List, Optional

CONNECT_VARIABLE = "LRSCOPE_PROBE_CONNECT"
KEY_VARIABLE = "LRSCOPE_PROBE_KEY"
#: Starts every frame; JSON text (``ensure_ascii``) never holds it, so a frame is found even behind stray bytes.
FRAME_MARK = "\x1e"
MAC_CHARS = 32


class LinkError(Exception):
    """The probe cannot reach LR Scope (started by hand, or LR Scope went away)."""


def wire_number(value: float) -> Any:
    """A float as JSON can carry it: non-finite values become the strings NaN, Infinity, -Infinity."""
    if math.isfinite(value):
        return value
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def sign(key: bytes, nonce: str, seq: int, payload: str) -> str:
    """The frame's signature: HMAC-SHA256 over nonce, sequence number and payload (hex, 128 bits)."""
    message = f"{nonce}\n{seq}\n{payload}".encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:MAC_CHARS]


def connect(environ: Any = os.environ) -> "tuple[socket.socket, bytes]":
    """Connects to LR Scope as the environment says, and takes the variables out of it."""
    address = environ.pop(CONNECT_VARIABLE, None)
    key_file = environ.pop(KEY_VARIABLE, None)
    if not address or not key_file:
        raise LinkError(f"{CONNECT_VARIABLE} or {KEY_VARIABLE} is not set: LR Scope starts the probe itself (lrscope range-test train.py)")
    host, _, port = address.rpartition(":")
    if host not in ("127.0.0.1", "::1", "localhost"):
        raise LinkError(f"{CONNECT_VARIABLE}={address}: the probe only connects to a loopback address")
    try:
        with open(key_file, "rb") as handle:
            key = handle.read().strip()
        sock = socket.create_connection((host, int(port)), timeout=30)
    except (OSError, ValueError) as error:
        raise LinkError(f"cannot reach LR Scope at {address} ({error})") from error
    sock.settimeout(None)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.set_inheritable(False)
    return sock, key


class Events:
    """Writes one signed frame per event to the socket ``sock``.

    Every event is written at once, except step events when ``batch_steps`` (schedule trials):
    those are gathered and written together — every ``BATCH`` steps, after ``BATCH_SECONDS``, before
    any other event, and before the probe waits for LR Scope — so that a fast script costs LR Scope
    one read per batch rather than one per step.
    """

    BATCH = 16
    BATCH_SECONDS = 0.05

    def __init__(self, sock: socket.socket, key: bytes, nonce: str, batch_steps: bool = False) -> None:
        # The socket's own send/recv, not os.write/os.read on its descriptor: on Windows a socket is
        # no C runtime file descriptor, and os.read/os.write on it fail.
        self._sock = sock
        self._pid = os.getpid()
        self._key = key
        self._nonce = nonce
        self._seq = 0
        self._batch_steps = batch_steps
        self._pending: List[bytes] = []
        self._last_flush = time.monotonic()

    def send(self, event: str, **fields: Any) -> None:
        if os.getpid() != self._pid:
            return  # a process forked from the probed one: LR Scope hears the probed process only
        payload = json.dumps({"event": event, **fields}, allow_nan=False)
        seq = self._seq
        self._seq += 1
        line = f"{FRAME_MARK}{seq} {sign(self._key, self._nonce, seq, payload)} {payload}\n".encode("utf-8")
        self._pending.append(line)
        if event == "step" and self._batch_steps:
            if len(self._pending) >= self.BATCH or time.monotonic() - self._last_flush >= self.BATCH_SECONDS:
                self.flush()
            return
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
                written = self._sock.send(view)
            except OSError:
                return  # LR Scope is gone; reading its end tells the probe to stop
            view = view[written:]


class Control:
    """Reads LR Scope's lines: the connection's nonce, the go-ahead, then one line per optimizer step.

    A step's line is either ``{"lr": x, "momentum": m?}`` (the values for the next step) or
    ``{"stop": reason, "at": k?}``. LR Scope may send values a few steps ahead; a stop that has
    arrived is obeyed at the very next step, ahead of any values still queued — or, with ``at``
    (several ranks), right before step ``k``, so that every rank stops at the same step. The end of
    the connection (LR Scope gone) reads as a stop.
    """

    def __init__(self, sock: socket.socket, before_wait: Callable[[], None] = lambda: None) -> None:
        self._sock = sock
        self.before_wait = before_wait
        self._partial = b""
        self._queue: Deque[Dict[str, Any]] = deque()
        self._stop: Optional[Dict[str, Any]] = None
        self._closed = False
        self.nonce: Optional[str] = None
        self.go = False

    def wait_nonce(self) -> str:
        while self.nonce is None and self._stop is None:
            self._read(block=True)
        if self.nonce is None:
            raise LinkError("LR Scope closed the connection before it said hello")
        return self.nonce

    def wait_go(self) -> bool:
        """Blocks until LR Scope says every rank is there; False when it went away (or stopped) first."""
        while not self.go and self._stop is None:
            self._read(block=True)
        return self.go and self._stop is None

    def next(self, step: int) -> Dict[str, Any]:
        """The line for optimizer step ``step``: its values, or a stop."""
        self._read(block=False)
        if not self._ready(step):
            self.before_wait()  # LR Scope answers what it has seen: let it see everything
        while not self._ready(step):
            self._read(block=True)
        if self._stopping(step):
            return self._stop  # type: ignore[return-value]
        return self._queue.popleft()

    def _stopping(self, step: int) -> bool:
        if self._stop is None:
            return False
        at = self._stop.get("at")
        return at is None or step >= int(at) or not self._queue

    def _ready(self, step: int) -> bool:
        if self._stop is not None:
            at = self._stop.get("at")
            return at is None or step >= int(at) or bool(self._queue) or self._closed
        return bool(self._queue)

    def _read(self, block: bool) -> None:
        """Takes in what has arrived (waiting for something when ``block``)."""
        while not self._closed:
            if not block and not select.select([self._sock], [], [], 0)[0]:
                return
            try:
                chunk = self._sock.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                self._closed = True
                if self._stop is None:
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
        if "nonce" in message:
            self.nonce = str(message["nonce"])
        elif "go" in message:
            self.go = True
        elif "stop" in message:
            if self._stop is None:
                self._stop = message
        else:
            self._queue.append(message)


def optional_float(message: Dict[str, Any], key: str) -> Optional[float]:
    value = message.get(key)
    return None if value is None else float(value)
