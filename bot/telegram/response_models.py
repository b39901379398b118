"""Keep aiogram's response models alive for the life of the process.

aiogram validates every Bot API answer with ``Response[method.__returning__]``, a parametrized
pydantic model. Pydantic keeps those in a weak-value cache, so after each garbage collection the
next call rebuilds ``Response[Message]`` & co. — 4–12 ms of CPU each time (measured by the
benchmark: pinning them saved 8–15 ms of CPU per update). One strong reference per return type,
built once at start, keeps them cached.
"""

from __future__ import annotations

import contextlib
from functools import cache
from typing import Any

import aiogram.methods
from aiogram.methods.base import Response, TelegramMethod


@cache
def pin_response_models() -> tuple[Any, ...]:
    pinned: dict[str, Any] = {}
    for name in aiogram.methods.__all__:
        method = getattr(aiogram.methods, name, None)
        if not (isinstance(method, type) and issubclass(method, TelegramMethod)):
            continue
        returning = getattr(method, "__returning__", None)
        if returning is None or repr(returning) in pinned:
            continue
        # a return type pydantic cannot build on its own is one aiogram never builds either
        with contextlib.suppress(Exception):
            pinned[repr(returning)] = Response[returning]  # type: ignore[valid-type]
    return tuple(pinned.values())
