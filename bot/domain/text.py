"""Text field rules: byte limits as the portal counts them, character limits, required text.

Byte counting modes (a setting; the default is UTF-8):
- ``"utf-8"`` — what the portal pages submit (Hangul syllable = 3 bytes, ASCII = 1, emoji = 4).
- ``"cp949"`` — what older systems count (Hangul = 2 bytes, ASCII = 1). A character CP949 cannot
  encode (emoji, rare Hanja, most non-Korean scripts) counts **2 bytes**: such systems either store
  a replacement or refuse it, and 2 bytes — the width of any double-byte character — keeps the
  count conservative without inventing a third convention.

Text is counted exactly as given: pass it through :func:`require_text` first so that it is
trimmed and NFC-composed (macOS and some keyboards send decomposed Hangul, whose jamo would count
three times as many bytes).

Codes raised (params in parentheses):
- ``text.too_many_bytes`` (used, limit, mode) — more bytes than the portal field holds.
- ``text.too_long`` (used, limit) — more characters than allowed.
- ``text.empty`` — nothing but whitespace.
- ``text.too_short`` (used, min) — some text, but fewer than ``min_len`` characters.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal, get_args

from bot.domain.errors import DomainError

ByteMode = Literal["utf-8", "cp949"]
BYTE_MODES: tuple[str, ...] = get_args(ByteMode)
CP949_UNENCODABLE_BYTES = 2


def _cp949_char_bytes(char: str) -> int:
    try:
        return len(char.encode("cp949"))
    except UnicodeEncodeError:
        return CP949_UNENCODABLE_BYTES


def byte_length(text: str, mode: ByteMode = "utf-8") -> int:
    """How many bytes ``text`` takes in the portal's counting ``mode``."""
    if mode == "utf-8":
        return len(text.encode("utf-8"))
    if mode == "cp949":
        try:
            return len(text.encode("cp949"))
        except UnicodeEncodeError:
            return sum(_cp949_char_bytes(char) for char in text)
    raise ValueError(f"unknown byte counting mode {mode!r}; expected one of {BYTE_MODES}")


def check_byte_limit(text: str, limit: int, mode: ByteMode = "utf-8") -> int:
    """Return the bytes used, or raise ``text.too_many_bytes`` with ``used``/``limit``."""
    used = byte_length(text, mode)
    if used > limit:
        raise DomainError("text.too_many_bytes", used=used, limit=limit, mode=mode)
    return used


def check_char_limit(text: str, limit: int) -> int:
    """Return the characters used, or raise ``text.too_long`` with ``used``/``limit``."""
    used = len(text)
    if used > limit:
        raise DomainError("text.too_long", used=used, limit=limit)
    return used


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(text: str) -> str:
    """Drop control characters (NUL …) but tabs and line breaks: Telegram refuses to send them
    and PostgreSQL cannot store NUL in a text column."""
    return _CONTROL.sub("", text)


def require_text(text: str | None, *, min_len: int = 1) -> str:
    """Trim, drop control characters and NFC-compose ``text``; refuse it when empty or shorter
    than ``min_len``."""
    cleaned = unicodedata.normalize("NFC", strip_controls(text or "")).strip()
    if not cleaned:
        raise DomainError("text.empty")
    if len(cleaned) < min_len:
        raise DomainError("text.too_short", used=len(cleaned), min=min_len)
    return cleaned
