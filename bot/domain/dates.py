"""Dates as people type them, 만 나이 (full years of age) and periods.

Accepted date forms: ``YYYY-MM-DD``, ``YYYY.MM.DD``, ``YYYY/MM/DD`` (one separator kind, month
and day may have one digit, spaces after a separator and a trailing dot are tolerated, as in the
Korean ``2026. 3. 5.``), ``YYYYMMDD`` and ``YYYY년 M월 D일``.

Codes raised (params in parentheses):
- ``date.format`` (example) — not one of the forms above; ``example`` is the caller's (so that
  it matches the question: a birth date's example is not this year's date).
- ``date.invalid`` (value) — the right form but no such day (``2026-02-30``).
- ``period.end_before_start`` (start, end) — ISO strings; an end equal to the start is allowed.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from bot.domain.errors import DomainError

DATE_EXAMPLE = "2026-03-15"

_SEPARATED = re.compile(r"(\d{4})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})\s*\.?", re.ASCII)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_KOREAN = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일?\s*\.?")


def parse_date(raw: str, example: str = DATE_EXAMPLE) -> date:
    """Parse a typed date, or raise ``date.format`` (with ``example``) / ``date.invalid``."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if m := _SEPARATED.fullmatch(text):
        parts = m.group(1, 3, 4)
    elif m := (_COMPACT.fullmatch(text) or _KOREAN.fullmatch(text)):
        parts = m.group(1, 2, 3)
    else:
        raise DomainError("date.format", example=example)
    year, month, day = (int(p) for p in parts)
    try:
        return date(year, month, day)
    except ValueError:
        raise DomainError("date.invalid", value=text) from None


def age_on(birth: date, on: date) -> int:
    """만 나이: full years completed on ``on``.

    Someone born on 29 February completes a year at the end of 28 February in common years (Civil
    Act art. 160(3): the period ends on the month's last day), i.e. is a year older from 1 March.
    """
    before_birthday = (on.month, on.day) < (birth.month, birth.day)
    return on.year - birth.year - int(before_birthday)


def require_period(start: date, end: date) -> None:
    """Refuse a period whose end lies before its start (one-day periods are fine)."""
    if end < start:
        raise DomainError("period.end_before_start", start=start.isoformat(), end=end.isoformat())
