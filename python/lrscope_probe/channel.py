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
import threading
import time
from collections import deque
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple

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


def _mark_forked() -> None:
    global _forked
    _forked = True


_forked = False
os.register_at_fork(after_in_child=_mark_forked)


def forked() -> bool:
    """True in a process forked from the probed one (a DataLoader worker, ``os.fork``): it neither reports nor is driven."""
    return _forked


class Events:
    """Writes signed frames to the socket ``sock``: one per event, and one per batch of steps.

    A step costs the script only a tuple appended to a list; the steps are written together, as one
    ``steps`` frame, when their batch is due — ``FLUSH_SECONDS`` after the last write, once the steps
    waiting outnumber the values queued for the next ones (so that LR Scope, which judges them and sends
    the values ahead, answers before the probe runs out: with one value queued at a time, every step is
    written at once), after ``MAX_BATCH`` steps, before any other event, and before the probe waits for
    LR Scope; and, while the script makes no step (an evaluation), by the link's watcher once they are
    ``FLUSH_SECONDS`` old. A loss still on an accelerator is read (one sync) only when its batch is written.
    """

    FLUSH_SECONDS = 0.1
    MAX_BATCH = 64

    def __init__(self, sock: socket.socket, key: bytes, nonce: str) -> None:
        # The socket's own send/recv, not os.write/os.read on its descriptor: on Windows a socket is
        # no C runtime file descriptor, and os.read/os.write on it fail.
        self._sock = sock
        self._key = key
        self._nonce = nonce
        self._seq = 0
        self._steps: List[Tuple[int, float, List[Any], Optional[float]]] = []
        self._last_flush = time.monotonic()
        #: The script's thread and the link's watcher both write.
        self._lock = threading.Lock()
        #: Called after every write (the control side then looks for LR Scope's answer).
        self.after_flush: Callable[[], None] = lambda: None

    def send(self, event: str, **fields: Any) -> None:
        if _forked:
            return  # a process forked from the probed one: LR Scope hears the probed process only
        payload = json.dumps({"event": event, **fields}, allow_nan=False)
        with self._lock:
            self._write(self._steps_frame() + self._frame(payload))

    def step(self, step: int, lr: float, losses: List[Any], momentum: Optional[float], queued: int) -> None:
        """Step ``step`` made at ``lr``; its loss is the mean of ``losses`` (floats, or tensors read when written); ``queued``: values waiting for the next steps."""
        with self._lock:
            steps = self._steps
            steps.append((step, lr, losses, momentum))
            if len(steps) > queued or len(steps) >= self.MAX_BATCH or time.monotonic() - self._last_flush >= self.FLUSH_SECONDS:
                self._write(self._steps_frame())

    def flush(self, older_than: float = 0.0) -> None:
        """Writes the steps waiting (only when the last write is ``older_than`` seconds old)."""
        if _forked or not self._steps:
            return
        with self._lock:
            if self._steps and time.monotonic() - self._last_flush >= older_than:
                self._write(self._steps_frame())

    def _steps_frame(self) -> bytes:
        if not self._steps:
            return b""
        batch, self._steps = self._steps, []
        rows = []
        for step, lr, losses, momentum in batch:
            value = wire_number(sum(float(loss) for loss in losses) / len(losses))
            rows.append([step, lr, value] if momentum is None else [step, lr, value, momentum])
        return self._frame(json.dumps({"event": "steps", "steps": rows}, allow_nan=False))

    def _frame(self, payload: str) -> bytes:
        seq = self._seq
        self._seq += 1
        return f"{FRAME_MARK}{seq} {sign(self._key, self._nonce, seq, payload)} {payload}\n".encode("utf-8")

    def _write(self, data: bytes) -> None:
        self._last_flush = time.monotonic()
        view = memoryview(data)
        while view:
            try:
                written = self._sock.send(view)
            except OSError:
                break  # LR Scope is gone; reading its end tells the probe to stop
            view = view[written:]
        self.after_flush()


class Control:
    """Reads LR Scope's lines: the connection's nonce, the go-ahead, then one line per optimizer step.

    A step's line is either ``{"lr": x, "momentum": m}`` (the values for the next step) or
    ``{"stop": reason, "at": k?}``. LR Scope sends values ahead (as many as its answers need to keep the
    script from waiting); a stop that has arrived is obeyed at the very next step, ahead of any values
    still queued — or, with ``at`` (several ranks), right before step ``k``, so that every rank stops at
    the same step. The socket is read when an answer is due (after each write of events) or when the
    next step's values are not there yet. The end of the connection (LR Scope gone) reads as a stop.
    """

    def __init__(self, sock: socket.socket, before_wait: Callable[[], None] = lambda: None) -> None:
        self._sock = sock
        self.before_wait = before_wait
        self._partial = b""
        self._queue: Deque[Dict[str, Any]] = deque()
        self._stop: Optional[Dict[str, Any]] = None
        self._closed = False
        self._due = True
        self.nonce: Optional[str] = None
        self.go = False

    @property
    def queued(self) -> int:
        """Values received for steps not made yet."""
        return len(self._queue)

    def answer_due(self) -> None:
        """LR Scope has something to answer (events were written, or it went away): read at the next step."""
        self._due = True

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
        if self._due:
            self._read(block=False)
        if not self._ready(step):
            self.before_wait()  # LR Scope answers what it has seen: let it see everything
            while not self._ready(step):
                self._read(block=True)
        if self._stopping(step):
            return self._stop  # type: ignore[return-value]
        return self._queue.popleft()

    def watch(self, events: Events, on_hangup: Callable[[], None]) -> None:
        """Starts the link's watcher, a thread of its own: it writes the steps the script made before a pause
        (``Events.FLUSH_SECONDS`` old), and calls ``on_hangup`` when LR Scope's end of the link closes (Linux's
        ``POLLRDHUP``; elsewhere the next step's read finds the end). It waits in ``poll`` without reading.
        """
        hangup = getattr(select, "POLLRDHUP", None)
        poller = select.poll() if hangup is not None and hasattr(select, "poll") else None
        if poller is not None:
            poller.register(self._sock.fileno(), hangup)
        period = Events.FLUSH_SECONDS

        def watch() -> None:
            while True:
                if poller is None:
                    time.sleep(period)
                else:
                    try:
                        if poller.poll(period * 1000):
                            break
                    except InterruptedError:
                        continue
                    except OSError:
                        break
                events.flush(older_than=period)
            self._due = True
            on_hangup()

        threading.Thread(target=watch, name="lrscope-probe-link", daemon=True).start()

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
        self._due = False
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
