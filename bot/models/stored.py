"""Reading a fitted classifier's `.npz` file, the one way both shipped classifiers do it.

A model file that is missing, truncated or from somewhere else must never stop the bot: it
becomes a `ModelError` with one line an admin can act on, and the caller falls back to the
rules (messages) or the search (FAQ).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from bot.models.encoder import ModelError


def read_npz(
    path: Path, what: str, arrays: dict[str, type]
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The file's JSON `meta` and the named arrays, each converted to its dtype."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            meta = json.loads(str(stored["meta"]))
            loaded = {name: stored[name].astype(dtype) for name, dtype in arrays.items()}
    except FileNotFoundError:
        raise ModelError(f"{what} {path}: no such file") from None
    except Exception as exc:  # zip, npy and json errors alike: the file is not usable
        raise ModelError(
            f"{what} {path}: cannot be read ({type(exc).__name__}); "
            "run `python bot.py models train` or restore the file"
        ) from None
    return meta, loaded
