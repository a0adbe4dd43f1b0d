"""Checkpoint writers are suppressed while probing: a diverging range test must never overwrite a checkpoint.

Covered: ``torch.save`` (to a path or to a file), ``torch.jit.save``, ``torch.onnx.export``,
``safetensors.torch.save_file``/``save_model`` (patched when the script imports them), and any
``open()`` for writing of a checkpoint-looking file (``.pt .pth .ckpt .safetensors``), which gets a
throw-away temporary file instead — so the script's own ``open(path, 'wb')`` cannot empty it.
Saving into memory (``io.BytesIO``) still works.
"""
from __future__ import annotations

import builtins
import functools
import importlib.abc
import io
import os
import sys
import tempfile
from typing import Any, Dict, List

from .probe import Probe

CHECKPOINT_SUFFIXES = (".pt", ".pth", ".ckpt", ".safetensors")
_WRITE_MODES = frozenset("wax+")


def install(torch: Any, probe: Probe) -> None:
    save = _suppressing(torch.save, "torch.save", 1, probe)
    torch.save = save
    torch.serialization.save = save
    jit = getattr(torch, "jit", None)
    if jit is not None and hasattr(jit, "save"):
        jit.save = _suppressing(jit.save, "torch.jit.save", 1, probe)
    onnx = sys.modules.get("torch.onnx")
    if onnx is not None and hasattr(onnx, "export"):
        onnx.export = _suppressing(onnx.export, "torch.onnx.export", 2, probe)
    _patch_open(probe)
    sys.meta_path.insert(0, _PatchOnImport({"safetensors.torch": ["save_file", "save_model"]}, probe))


def _target_of(value: Any) -> Any:
    """The path a writer was given, or the name of the real file it was given; None for memory buffers."""
    if isinstance(value, (str, bytes, os.PathLike)):
        return os.fsdecode(value)
    name = getattr(value, "name", None)
    if isinstance(name, (str, bytes)) and hasattr(value, "fileno"):
        return os.fsdecode(name)
    return None


def _suppressing(writer: Any, label: str, position: int, probe: Probe) -> Any:
    """``writer`` with its file argument (positional index ``position``) checked: files are not written."""

    @functools.wraps(writer)
    def suppressed_writer(*args: Any, **kwargs: Any) -> Any:
        if len(args) > position:
            target = args[position]
        else:
            target = next((kwargs[key] for key in ("f", "filename", "file") if key in kwargs), None)
        path = _target_of(target)
        if path is None:
            return writer(*args, **kwargs)
        probe.suppressed(label, os.path.abspath(path))
        return None

    return suppressed_writer


def _patch_open(probe: Probe) -> None:
    original = builtins.open

    @functools.wraps(original)
    def probed_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if isinstance(mode, str) and not _WRITE_MODES.isdisjoint(mode) and isinstance(file, (str, bytes, os.PathLike)):
            path = os.fsdecode(file)
            if path.lower().endswith(CHECKPOINT_SUFFIXES):
                probe.suppressed(f"open(…, {mode!r})", os.path.abspath(path))
                return tempfile.TemporaryFile(mode="w+b" if "b" in mode else "w+")
        return original(file, mode, *args, **kwargs)

    builtins.open = probed_open
    io.open = probed_open


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Suppresses writers of modules the script may import later (``safetensors.torch``)."""

    def __init__(self, writers: Dict[str, List[str]], probe: Probe) -> None:
        self._writers = writers
        self._probe = probe

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name not in self._writers:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
                spec.loader = _PatchingLoader(spec.loader, name, self._writers[name], self._probe)
                return spec
        return None


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader: Any, name: str, writers: List[str], probe: Probe) -> None:
        self._loader = loader
        self._name = name
        self._writers = writers
        self._probe = probe

    def create_module(self, spec: Any) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self._loader.exec_module(module)
        for attribute in self._writers:
            writer = getattr(module, attribute, None)
            if callable(writer):
                setattr(module, attribute, _suppressing(writer, f"{self._name}.{attribute}", 1, self._probe))
