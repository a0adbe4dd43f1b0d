"""``python -m lrscope_probe [--seed N] -- script.py [args]``

Run by LR Scope, directly or as the worker of a launcher (``torchrun … -m lrscope_probe …``), with
``LRSCOPE_PROBE_CONNECT`` and ``LRSCOPE_PROBE_KEY`` in the environment (see channel.py).

When LR Scope goes away (its process killed), the script is stopped at its next optimizer step; one
that makes none within ``HOST_GONE_GRACE_SECONDS`` (stuck in a collective, in a long evaluation) is
ended there (Linux), so that no probed process outlives LR Scope.

Exit status: 0 when the script ended (or LR Scope stopped it, or went away), 1 when the script failed,
3 when the probe could not start (torch missing, bad arguments, LR Scope unreachable).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from typing import List, Optional

from . import PROTOCOL, __version__
from .channel import Control, Events, LinkError, connect

#: How long a script may go on without an optimizer step once LR Scope has gone, before it is ended.
HOST_GONE_GRACE_SECONDS = 5.0


def _parse(argv: List[str]) -> argparse.Namespace:
    if "--" not in argv:
        raise SystemExit("lrscope_probe: usage: python -m lrscope_probe [options] -- script.py [args]")
    split = argv.index("--")
    parser = argparse.ArgumentParser(prog="python -m lrscope_probe")
    parser.add_argument("--seed", type=int)
    options = parser.parse_args(argv[:split])
    rest = argv[split + 1:]
    if not rest:
        parser.error("no script after --")
    options.script = os.path.abspath(rest[0])
    options.script_args = rest[1:]
    return options


def main(argv: Optional[List[str]] = None) -> int:
    options = _parse(sys.argv[1:] if argv is None else argv)
    rank = _rank()
    try:
        link, key = connect()
        control = Control(link)
        events = Events(link, key, control.wait_nonce())
    except LinkError as error:
        print(f"lrscope_probe: {error}", file=sys.stderr)
        return 3
    del key
    control.before_wait = events.flush
    events.after_flush = control.answer_due
    control.watch(events, _end_when_stuck)
    events.send("connect", pid=os.getpid(), **rank)
    _restore_pythonpath()
    try:
        import torch
    except BaseException as error:  # ImportError, or torch's own crash while importing
        events.send("error", kind="no-torch", type=type(error).__name__, message=str(error), executable=sys.executable)
        return 3

    from .checkpoints import install as install_checkpoint_guard
    from .probe import Probe, ProbeStop
    from .runner import describe_failure, run_script
    from .torch_hooks import install as install_torch_hooks

    probe = Probe(events, control, world_size=rank["worldSize"])
    install_torch_hooks(torch, probe)
    install_checkpoint_guard(torch, probe)
    if options.seed is not None:
        _seed(torch, options.seed)
    events.send(
        "hello",
        protocol=PROTOCOL,
        probe=__version__,
        python=".".join(str(part) for part in sys.version_info[:3]),
        torch=str(torch.__version__),
        threads=int(torch.get_num_threads()),
        executable=sys.executable,
    )
    if not control.wait_go():
        events.send("stop", reason="stopped", detail="lrscope-closed", steps=0)
        return 0
    try:
        run_script(options.script, options.script_args)
    except ProbeStop as stop:
        events.send("stop", reason="stopped", detail=stop.reason, steps=probe.steps)
        return 0
    except SystemExit as exit_:
        code = exit_.code
        if code is None or code == 0:
            events.send("stop", reason="script-ended", steps=probe.steps)
            return 0
        events.send("error", kind="exit", type="SystemExit", message=str(code), steps=probe.steps, where=None, traceback="")
        return code if isinstance(code, int) else 1
    except BaseException as error:
        if probe.stopped is not None:  # the script turned our stop into an error of its own
            events.send("stop", reason="stopped", detail=probe.stopped, steps=probe.steps)
            return 0
        events.send("error", kind="script", steps=probe.steps, **describe_failure(error, options.script))
        return 1
    events.send("stop", reason="script-ended", steps=probe.steps)
    return 0


def _end_when_stuck() -> None:
    """LR Scope went away: the next optimizer step stops the script (exit 0); if none comes in time, end here."""
    time.sleep(HOST_GONE_GRACE_SECONDS)
    os._exit(0)


def _rank() -> dict:
    """Where this process stands in a launcher's job (torchrun's environment contract); rank 0 of 1 without one."""

    def number(name: str, default: int) -> int:
        try:
            return int(os.environ.get(name, default))
        except ValueError:
            return default

    return {"rank": number("RANK", 0), "worldSize": number("WORLD_SIZE", 1), "localRank": number("LOCAL_RANK", 0)}


def _restore_pythonpath() -> None:
    """The script's own subprocesses see the PYTHONPATH the user had, not the probe's."""
    original = os.environ.pop("LRSCOPE_ORIGINAL_PYTHONPATH", None)
    if original is None:
        return
    if original:
        os.environ["PYTHONPATH"] = original
    else:
        os.environ.pop("PYTHONPATH", None)


def _seed(torch: object, seed: int) -> None:
    import random

    random.seed(seed)
    torch.manual_seed(seed)  # type: ignore[attr-defined]
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed(seed)


if __name__ == "__main__":
    sys.exit(main())
