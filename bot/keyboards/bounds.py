"""Bounded field types for every CallbackData: a pressed button is parsed, never trusted.

Telegram returns ``callback_data`` as the client sent it, so a forged press can carry anything
(up to 64 bytes). Every factory field uses one of these types; a value outside them makes the
factory's filter not match, and the press ends at the fallback's "이 버튼은 더 이상 유효하지
않습니다" alert.

- ``Id``: a database id, 1..2^31−1, written in canonical decimal (no sign, spaces, ``_`` or ``.``).
- ``OptId``: the same, or 0 for "none".
- ``Page``: a page number 0..MAX_PAGE; ``Small``: a small index or count 0..MAX_SMALL.
- ``Word``: a short choice value (≤ 40 characters, no ``:`` — the separator).
- Actions are ``StrEnum`` classes next to their factory: a member compares equal to its value, so
  ``F.action == "open"`` filters and ``f"{action}"`` keep working.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from bot.domain.ids import MAX_ID

MAX_PAGE = 100_000
MAX_SMALL = 1_000
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,9}")


def _canonical_int(value: Any) -> Any:
    """Texts (from a pressed button) must be plain decimal; ints (from our own code) pass."""
    if isinstance(value, str) and not _DECIMAL.fullmatch(value):
        raise ValueError("not a canonical decimal number")
    return value


Id = Annotated[int, BeforeValidator(_canonical_int), Field(ge=1, le=MAX_ID)]
OptId = Annotated[int, BeforeValidator(_canonical_int), Field(ge=0, le=MAX_ID)]
Page = Annotated[int, BeforeValidator(_canonical_int), Field(ge=0, le=MAX_PAGE)]
Small = Annotated[int, BeforeValidator(_canonical_int), Field(ge=0, le=MAX_SMALL)]
Word = Annotated[str, Field(max_length=40, pattern=r"^[^:\x00-\x1f]*$")]
