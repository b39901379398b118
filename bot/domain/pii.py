"""Recognising personal data in free text, so it can be kept out of chats, logs and storage.

``looks_like_rrn(text)``: somewhere in the text is a resident registration number (주민등록번호):
six digits that read as YYMMDD, an optional separator (spaces, a hyphen or dash, a dot), then
seven digits — after removing invisible characters (zero-width, bidi marks, soft hyphens) and
folding full-width digits (NFKC), which a person hiding it from a filter would use. The check
digit is not required (numbers issued since 2020 do not follow it); a run of 14 or more digits is
not one number.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_RRN = re.compile(r"(?<![0-9])([0-9]{2})([0-9]{2})([0-9]{2})[ \t\-‐-―.·]{0,3}([0-9]{7})(?![0-9])")


def _normalized(text: str) -> str:
    folded = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    # other scripts' digits (e.g. Arabic-Indic) as ASCII, so they cannot slip past
    return "".join(
        str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c for c in folded
    )


def looks_like_rrn(text: str) -> bool:
    if sum(c.isdigit() for c in text) < 13:
        return False
    for match in _RRN.finditer(_normalized(text)):
        month, day = int(match[2]), int(match[3])
        if 1 <= month <= 12 and 1 <= day <= 31:
            return True
    return False
