"""Korean identifiers: 사업자등록번호, 주민등록번호, phones (re-exported), e-mail addresses.

Everything here is pure: it takes what a person typed (full-width digits, hyphens and spaces are
tolerated) and returns a normalized value or raises :class:`DomainError`.

Codes raised (params in parentheses):
- ``brn.format`` (example) — not 10 digits.
- ``brn.checksum`` (example) — 10 digits, but the check digit does not match.
- ``rrn.format`` (example) — not ``YYMMDD-GNNNNNN`` / 13 digits.
- ``rrn.date`` — YYMMDD (with the century from G) is not a real calendar date.
- ``rrn.future`` — the birth date lies after ``today``.
- ``rrn.gender_digit`` (digit) — reserved: G has no century/sex meaning. Every digit 0-9 is
  defined by the current rule, so ``parse_rrn`` never raises it today; the UI should still map it.
- ``phone.format``, ``phone.not_mobile``, ``phone.mobile_not_allowed`` — see :mod:`.phones`.
- ``email.format`` (example) — not a plausible address.

A resident number is personal data that may only be processed where a statute allows it: the
:class:`ResidentNumber` value masks itself in ``repr``/``str`` so it cannot leak into logs or
tracebacks by accident. Its legacy checksum is recorded, never used to refuse: numbers issued since
October 2020 have random digits after G.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from bot.domain.errors import DomainError
from bot.domain.phones import (
    PhoneKind,
    PhoneNumber,
    classify_phone,
    require_direct_line,
    require_mobile,
)

__all__ = [
    "BRN_EXAMPLE",
    "EMAIL_EXAMPLE",
    "RRN_EXAMPLE",
    "PhoneKind",
    "PhoneNumber",
    "ResidentNumber",
    "brn_is_valid",
    "classify_phone",
    "format_brn",
    "mask_rrn",
    "normalize_brn",
    "normalize_email",
    "parse_rrn",
    "require_direct_line",
    "require_mobile",
    "rrn_legacy_checksum_ok",
]

BRN_EXAMPLE = "123-45-67890"
RRN_EXAMPLE = "900101-1234567"
EMAIL_EXAMPLE = "name@example.com"

# Separators people type between digit groups (after NFKC, full-width forms are already ASCII).
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―]+")
_DIGITS = re.compile(r"[0-9]+")


def compact_digits(raw: str) -> str:
    """NFKC-normalize ``raw`` and drop whitespace and hyphens (``"１２０-81 47521"`` → digits)."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))


# --- 사업자등록번호 (business registration number) -------------------------------------------

_BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def _brn_check_digit(first_nine: str) -> int:
    digits = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(digits, _BRN_WEIGHTS, strict=True))
    total += digits[8] * 5 // 10
    return (10 - total % 10) % 10


def normalize_brn(raw: str) -> str:
    """The 10 digits of a valid 사업자등록번호; raises ``brn.format`` / ``brn.checksum``."""
    digits = compact_digits(raw)
    if len(digits) != 10 or not _DIGITS.fullmatch(digits):
        raise DomainError("brn.format", example=BRN_EXAMPLE)
    if _brn_check_digit(digits[:9]) != int(digits[9]):
        raise DomainError("brn.checksum", example=BRN_EXAMPLE)
    return digits


def format_brn(digits: str) -> str:
    """Show 10 digits as ``XXX-XX-XXXXX`` (validates first)."""
    d = normalize_brn(digits)
    return f"{d[:3]}-{d[3:5]}-{d[5:]}"


def brn_is_valid(raw: str) -> bool:
    try:
        normalize_brn(raw)
    except DomainError:
        return False
    return True


# --- 주민등록번호 (resident registration number) ---------------------------------------------

# G → (century, is_foreigner). Odd digits (and 9) are male, even digits (and 0) female.
_CENTURY: dict[str, tuple[int, bool]] = {
    "1": (1900, False),
    "2": (1900, False),
    "3": (2000, False),
    "4": (2000, False),
    "5": (1900, True),
    "6": (1900, True),
    "7": (2000, True),
    "8": (2000, True),
    "9": (1800, False),
    "0": (1800, False),
}
_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_RRN_SHAPE = re.compile(r"[0-9]{13}")


def rrn_legacy_checksum_ok(digits: str) -> bool:
    """The pre-October-2020 check digit; informative only (never a reason to refuse)."""
    total = sum(int(c) * w for c, w in zip(digits[:12], _RRN_WEIGHTS, strict=True))
    return (11 - total % 11) % 10 == int(digits[12])


def mask_rrn(digits: str) -> str:
    """``YYMMDD-G******`` — the only form in which a resident number may be shown."""
    d = compact_digits(digits)
    if not _RRN_SHAPE.fullmatch(d):
        raise DomainError("rrn.format", example=RRN_EXAMPLE)
    return f"{d[:6]}-{d[6]}******"


@dataclass(frozen=True, repr=False)
class ResidentNumber:
    """A parsed 주민등록번호. ``repr``/``str`` are masked; read ``digits`` only to encrypt it."""

    digits: str
    birth_date: date
    gender_digit: str
    is_foreigner: bool
    legacy_checksum_ok: bool

    @property
    def masked(self) -> str:
        return mask_rrn(self.digits)

    @property
    def is_male(self) -> bool:
        return self.gender_digit in "13579"

    def __repr__(self) -> str:
        return f"ResidentNumber({self.masked})"

    def __str__(self) -> str:
        return self.masked

    def __format__(self, spec: str) -> str:
        return format(self.masked, spec)


def parse_rrn(raw: str, *, today: date) -> ResidentNumber:
    """Parse ``YYMMDD-GNNNNNN`` (or 13 digits) and check the birth date is real and not future."""
    d = compact_digits(raw)
    if not _RRN_SHAPE.fullmatch(d):
        raise DomainError("rrn.format", example=RRN_EXAMPLE)
    g = d[6]
    if g not in _CENTURY:  # pragma: no cover - every digit is mapped; kept if the rule narrows
        raise DomainError("rrn.gender_digit", digit=g)
    century, foreigner = _CENTURY[g]
    try:
        birth = date(century + int(d[:2]), int(d[2:4]), int(d[4:6]))
    except ValueError:
        raise DomainError("rrn.date") from None
    if birth > today:
        raise DomainError("rrn.future")
    return ResidentNumber(
        digits=d,
        birth_date=birth,
        gender_digit=g,
        is_foreigner=foreigner,
        legacy_checksum_ok=rrn_legacy_checksum_ok(d),
    )


# --- e-mail ---------------------------------------------------------------------------------

_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TLD = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")


def normalize_email(raw: str) -> str:
    """Trim, lower-case the domain and apply pragmatic checks (ASCII, one ``@``, dotted domain).

    The local part keeps its case: it is case-sensitive in principle, and some mail systems care.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    local, at, domain = text.rpartition("@")
    domain = domain.lower()
    labels = domain.split(".")
    ok = (
        bool(at)
        and len(text) <= 254
        and 0 < len(local) <= 64
        and _LOCAL.fullmatch(local) is not None
        and len(labels) >= 2
        and all(_LABEL.fullmatch(label) for label in labels)
        and _TLD.fullmatch(labels[-1]) is not None
    )
    if not ok:
        raise DomainError("email.format", example=EMAIL_EXAMPLE)
    return f"{local}@{domain}"
