"""Pack outbox buttons: services name a CallbackData prefix and its fields (no aiogram there).

A service writes ``{"key": "<locale key>", "cb": "<prefix>", "args": {...}}``; at delivery the
sender finds the CallbackData class with that prefix and packs it (≤ 64 bytes, checked by aiogram).
"""

from __future__ import annotations

from typing import Any

from aiogram.filters.callback_data import CallbackData


def _subclasses(cls: type) -> list[type]:
    found: list[type] = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def callback_class(prefix: str) -> type[CallbackData]:
    for cls in _subclasses(CallbackData):
        if getattr(cls, "__prefix__", None) == prefix:
            return cls
    raise LookupError(f"no CallbackData with prefix {prefix!r} is imported")


def pack_button_data(button: dict[str, Any]) -> str:
    if "data" in button:
        return str(button["data"])
    return callback_class(button["cb"])(**button.get("args", {})).pack()
