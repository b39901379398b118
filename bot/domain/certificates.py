"""Certificate (수료증) issue numbers: ``YWE-<year>-<6-digit seq>-<check>``.

The check character is ISO/IEC 7064 MOD 37,36 (the hybrid system for alphanumerics: one character
of 0-9A-Z), computed over ``YWE<year><seq>``; it catches every single-character typo and
nearly every swap of two adjacent characters (well over 99 %), which is what matters for a number
read aloud or retyped from paper.

Pure functions, no codes raised: a bad year or sequence is a programming error (``ValueError``)
and a malformed number is simply not well-formed.
"""

from __future__ import annotations

import re
import string

PREFIX = "YWE"
MAX_SEQ = 999_999
_ALPHABET = string.digits + string.ascii_uppercase  # value = index, 36 symbols
_MOD = 36
_SHAPE = re.compile(rf"{PREFIX}-(\d{{4}})-(\d{{6}})-([0-9A-Z])")


def _check_char(payload: str) -> str:
    product = _MOD
    for char in payload:
        total = (product + _ALPHABET.index(char)) % _MOD or _MOD
        product = (total * 2) % (_MOD + 1)
    return _ALPHABET[(_MOD + 1 - product) % _MOD]


def make_issue_number(year: int, seq: int) -> str:
    """``make_issue_number(2026, 123)`` → ``"YWE-2026-000123-<check>"``."""
    if not 1000 <= year <= 9999:
        raise ValueError(f"year out of range: {year}")
    if not 1 <= seq <= MAX_SEQ:
        raise ValueError(f"sequence out of range: {seq}")
    body = f"{year:04d}{seq:06d}"
    return f"{PREFIX}-{year:04d}-{seq:06d}-{_check_char(PREFIX + body)}"


def issue_number_is_wellformed(value: str) -> bool:
    """Shape and check character are right (surrounding spaces and lower case tolerated)."""
    match = _SHAPE.fullmatch(value.strip().upper())
    if match is None:
        return False
    year, seq, check = match.groups()
    return int(seq) >= 1 and _check_char(PREFIX + year + seq) == check


def parse_issue_number(value: str) -> tuple[int, int] | None:
    """``(year, seq)`` of a well-formed number, else ``None``."""
    if not issue_number_is_wellformed(value):
        return None
    _, year, seq, _ = value.strip().upper().split("-")
    return int(year), int(seq)
