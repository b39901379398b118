"""Korean telephone numbers: classify, normalize and format.

Accepted (digits, after dropping spaces, hyphens, dots, parentheses; ``+82``/``82`` becomes 0):
- mobile ``01[016789]`` + 7–8 digits (``010`` always 8) → ``010-1234-5678``, ``011-123-4567``;
- landline: ``02`` + 7–8 digits → ``02-123-4567`` / ``02-1234-5678``; area codes 031–033,
  041–044, 051–055, 061–064 + 7–8 digits → ``031-123-4567`` / ``031-1234-5678``;
- internet / personal / free-call: ``070`` + 7–8, ``050x`` + 7–8, ``080`` + 7–8 digits
  → ``070-1234-5678``, ``0505-123-4567``, ``080-123-4567``;
- representative ``15xx``/``16xx``/``18xx`` + 4 digits (8 digits in all) → ``1588-1234``.
A subscriber number never starts with 0 (that is how a doubled or missing prefix shows up).

Codes raised (params in parentheses):
- ``phone.format`` (example) — not a Korean number of any kind above.
- ``phone.not_mobile`` (example, kind) — a mobile number is required (``kind`` is what was given).
- ``phone.mobile_not_allowed`` (example) — a field that is public or meant for a direct line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.errors import DomainError

MOBILE_EXAMPLE = "010-1234-5678"
DIRECT_LINE_EXAMPLE = "02-1234-5678"


class PhoneKind(StrEnum):
    MOBILE = "mobile"
    LANDLINE = "landline"
    INTERNET = "internet"
    REPRESENTATIVE = "representative"


@dataclass(frozen=True)
class PhoneNumber:
    digits: str
    kind: PhoneKind
    formatted: str

    def __str__(self) -> str:
        return self.formatted


_AREA_CODES = frozenset("031 032 033 041 042 043 044 051 052 053 054 055 061 062 063 064".split())
_STRIP = re.compile(r"[\s\-‐‑‒–—―.()]+")
_MOBILE = re.compile(r"(01[016789])([1-9][0-9]{2,3})([0-9]{4})")
_SEOUL = re.compile(r"(02)([1-9][0-9]{2,3})([0-9]{4})")
_THREE_DIGIT_PREFIX = re.compile(r"(0[3-8][0-9])([1-9][0-9]{2,3})([0-9]{4})")
_PERSONAL = re.compile(r"(050[0-9])([1-9][0-9]{2,3})([0-9]{4})")
_REPRESENTATIVE = re.compile(r"(1[568][0-9]{2})([0-9]{4})")


def _digits(raw: str) -> str:
    text = _STRIP.sub("", unicodedata.normalize("NFKC", raw))
    if text.startswith("+82"):
        text = "0" + text[3:].removeprefix("0")
    elif text.startswith("82") and len(text) >= 9:  # no domestic number starts with 8
        text = "0" + text[2:].removeprefix("0")
    return text


def _classify(raw: str, example: str) -> PhoneNumber:
    digits = _digits(raw)
    if m := _MOBILE.fullmatch(digits):
        prefix, middle, last = m.groups()
        if prefix != "010" or len(middle) == 4:
            return PhoneNumber(digits, PhoneKind.MOBILE, f"{prefix}-{middle}-{last}")
    elif m := _SEOUL.fullmatch(digits):
        return PhoneNumber(digits, PhoneKind.LANDLINE, "-".join(m.groups()))
    elif m := _PERSONAL.fullmatch(digits):
        return PhoneNumber(digits, PhoneKind.INTERNET, "-".join(m.groups()))
    elif m := _THREE_DIGIT_PREFIX.fullmatch(digits):
        prefix = m.group(1)
        if prefix in _AREA_CODES:
            return PhoneNumber(digits, PhoneKind.LANDLINE, "-".join(m.groups()))
        if prefix in ("070", "080"):
            return PhoneNumber(digits, PhoneKind.INTERNET, "-".join(m.groups()))
    elif m := _REPRESENTATIVE.fullmatch(digits):
        return PhoneNumber(digits, PhoneKind.REPRESENTATIVE, "-".join(m.groups()))
    raise DomainError("phone.format", example=example)


def classify_phone(raw: str) -> PhoneNumber:
    """Normalize and classify any Korean phone number, or raise ``phone.format``."""
    return _classify(raw, MOBILE_EXAMPLE)


def require_mobile(raw: str) -> PhoneNumber:
    """A personal mobile number (account requests, participant contact)."""
    phone = _classify(raw, MOBILE_EXAMPLE)
    if phone.kind is not PhoneKind.MOBILE:
        raise DomainError("phone.not_mobile", example=MOBILE_EXAMPLE, kind=phone.kind.value)
    return phone


def require_direct_line(raw: str) -> PhoneNumber:
    """A public or direct-line number (staff phone, training institution): no mobile numbers."""
    phone = _classify(raw, DIRECT_LINE_EXAMPLE)
    if phone.kind is PhoneKind.MOBILE:
        raise DomainError("phone.mobile_not_allowed", example=DIRECT_LINE_EXAMPLE)
    return phone
