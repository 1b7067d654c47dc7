"""The build environment's fingerprint: cached results of code are valid only for the same one."""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

HOOKS = Path(__file__).resolve().parent


@cache
def fingerprint() -> str:
    """Interpreter, installed package versions and the code runner: a change invalidates every cache."""
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    runner = b"".join((HOOKS / name).read_bytes() for name in ("exec_runner.py", "exec_blocks.py"))
    return hashlib.sha256("\n".join([sys.version, *packages]).encode() + runner).hexdigest()
