"""``python -m bench.pinned_bot run``: the real bot, with aiogram's response models pinned.

An experiment for the update-handling figures, not a fix in the bot: aiogram validates every Bot
API answer with ``Response[method.__returning__]``, a pydantic generic model. Pydantic keeps such
parametrized models in a weak-value cache, so once the garbage collector has run (and in a busy
process it runs all the time) the next API call builds ``Response[Message]`` again — schema
generation, milliseconds of CPU per call. Holding one strong reference per return type at start
keeps them cached. The same three lines in ``bot/app.py`` would make it permanent.
"""

from __future__ import annotations

import sys
from typing import Any

import aiogram.methods
from aiogram.methods.base import Response, TelegramMethod

PINNED: list[Any] = []


def pin_response_models() -> int:
    seen: set[str] = set()
    for name in aiogram.methods.__all__:
        method = getattr(aiogram.methods, name, None)
        returning = getattr(method, "__returning__", None)
        if (
            not (isinstance(method, type) and issubclass(method, TelegramMethod))
            or returning is None
        ):
            continue
        if repr(returning) in seen:
            continue
        seen.add(repr(returning))
        try:
            PINNED.append(Response[returning])  # type: ignore[index]
        except Exception:  # a return type pydantic cannot build on its own: aiogram never does
            continue
    return len(PINNED)


if __name__ == "__main__":
    pin_response_models()
    from bot.__main__ import main

    sys.exit(main(sys.argv[1:]))
