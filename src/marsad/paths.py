"""Where the project finds ../shared data (training and evaluation only)."""

from __future__ import annotations

import os
from pathlib import Path


def shared_dir() -> Path | None:
    """The shared data folder: $MARSAD_SHARED, else ../shared beside the checkout or cwd."""
    env = os.environ.get("MARSAD_SHARED")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve()
    candidates += [p / "shared" for p in here.parents[2:4]] + [Path.cwd().parent / "shared", Path.cwd() / "shared"]
    for c in candidates:
        if (c / "CONTRACT.md").exists():
            return c
    return None


def require_shared() -> Path:
    path = shared_dir()
    if path is None:
        raise FileNotFoundError("../shared data not found; set MARSAD_SHARED to its folder")
    return path
