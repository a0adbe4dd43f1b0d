"""Runs the user's script as ``python script.py args`` would, and describes how it ended."""
from __future__ import annotations

import os
import runpy
import sys
import traceback
from typing import Any, Dict, List, Optional

TRACEBACK_TAIL_LINES = 16


def run_script(script: str, args: List[str]) -> None:
    """``runpy.run_path`` with the script's argv and its folder first on ``sys.path``."""
    sys.argv = [script, *args]
    sys.path[0] = os.path.dirname(script)
    runpy.run_path(script, run_name="__main__")


def describe_failure(error: BaseException, script: str) -> Dict[str, Any]:
    """Type, message, where the script stopped (its innermost frame in the script) and the traceback tail."""
    frames = traceback.extract_tb(error.__traceback__)
    first = next((i for i, frame in enumerate(frames) if _same_file(frame.filename, script)), None)
    user_frames = frames[first:] if first is not None else frames
    in_script = [frame for frame in user_frames if _same_file(frame.filename, script)]
    where_frame = in_script[-1] if in_script else (user_frames[-1] if user_frames else None)
    lines = traceback.format_list(user_frames) + traceback.format_exception_only(type(error), error)
    text = "".join(lines).rstrip("\n").split("\n")
    tail = "\n".join(["Traceback (most recent call last):", *text][-TRACEBACK_TAIL_LINES:])
    return {
        "type": type(error).__name__,
        "message": str(error),
        "where": _where(where_frame),
        "traceback": tail,
    }


def _where(frame: Optional[traceback.FrameSummary]) -> Optional[Dict[str, Any]]:
    if frame is None:
        return None
    return {"file": frame.filename, "line": frame.lineno, "function": frame.name, "code": frame.line or ""}


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)
