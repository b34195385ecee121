"""Settings files for tests: deep-merge overrides, then write them as TOML.

The bot reads its settings from a TOML file only, so tests write real files rather than
building Settings by hand; that way the loader and its errors are exercised too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def to_toml(data: Mapping[str, Any], prefix: str = "") -> str:
    """Enough TOML for a settings file: scalars, lists, tables, arrays of tables."""
    scalars, tables, arrays = [], [], []
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            tables.append(f"\n[{name}]\n" + to_toml(value, name))
        elif isinstance(value, list) and value and isinstance(value[0], Mapping):
            arrays += [f"\n[[{name}]]\n" + to_toml(item, name) for item in value]
        else:
            scalars.append(f"{key} = {_value(value)}\n")
    return "".join(scalars) + "".join(tables) + "".join(arrays)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'
