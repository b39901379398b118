"""The program's fields (§ 프로그램등록 입력항목): which apply to which type, their order, and the
portal's rule for each answer. Pure: no database, no aiogram.

Codes raised: ``progreg.int_format`` (min, max) / ``progreg.int_range`` (min, max, value),
``progreg.url_format`` (example), ``progreg.choice``, and the field rules ``text.*``, ``date.*``,
``phone.*``, ``email.format``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlparse

from bot.domain.dates import parse_date
from bot.domain.errors import DomainError
from bot.domain.identifiers import normalize_email, require_direct_line
from bot.domain.text import check_byte_limit, check_char_limit, require_text
from bot.storage.models import Program

PROGRAM_TYPES = ("intern", "project", "esg")
COMPANY_TYPES = frozenset({"intern", "esg"})  # head count per host company (else per job)
ALL_TYPES = frozenset(PROGRAM_TYPES)
REGIONS = (
    "서울",
    "부산",
    "대구",
    "인천",
    "광주",
    "대전",
    "울산",
    "세종",
    "경기",
    "강원",
    "충북",
    "충남",
    "전북",
    "전남",
    "경북",
    "경남",
    "제주",
)
TRAINING_CONTENT_BYTES = 1500
URL_EXAMPLE = "https://www.example.org"

Kind = Literal[
    "type", "text", "longtext", "int", "date", "region", "bool", "phone", "email", "url"
]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Kind
    required: bool = True
    types: frozenset[str] = ALL_TYPES
    training: bool = False  # only when 사전직무교육 = yes
    max_chars: int = 200
    byte_limit: int | None = None
    int_range: tuple[int, int] = (1, 999)


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("type", "type"),
    FieldSpec("name", "text", max_chars=200),
    FieldSpec("total_recruitment", "int", int_range=(1, 999)),
    FieldSpec("period_start", "date"),
    FieldSpec("period_end", "date"),
    FieldSpec("schedule", "longtext", max_chars=2000),
    FieldSpec("weekly_hours", "int", int_range=(1, 52)),
    FieldSpec("allowance", "longtext", max_chars=1000),
    FieldSpec("job_description", "longtext", max_chars=3000),
    FieldSpec("mentoring", "longtext", max_chars=1000),
    FieldSpec("completion_benefit", "longtext", max_chars=1000),
    FieldSpec("proposal_text", "longtext", types=frozenset({"project"}), max_chars=3000),
    FieldSpec("work_address", "text", max_chars=300),
    FieldSpec("region", "region"),
    FieldSpec("selection_criteria", "longtext", max_chars=2000),
    FieldSpec("resume_required", "bool"),
    FieldSpec("training_required", "bool"),
    FieldSpec("training_institution", "text", training=True, max_chars=200),
    FieldSpec("training_contact", "text", training=True, max_chars=100),
    FieldSpec("training_email", "email", training=True),
    FieldSpec("training_phone", "phone", training=True),
    FieldSpec("training_start", "date", training=True),
    FieldSpec(
        "training_content",
        "longtext",
        training=True,
        max_chars=TRAINING_CONTENT_BYTES,
        byte_limit=TRAINING_CONTENT_BYTES,
    ),
    FieldSpec("training_homepage", "url", required=False, training=True, max_chars=300),
    FieldSpec("contact_name", "text", max_chars=100),
    FieldSpec("contact_email", "email"),
    FieldSpec("contact_phone", "phone"),
    FieldSpec("contact_fax", "phone", required=False),
    FieldSpec("contact_homepage", "url", required=False, max_chars=300),
    FieldSpec("internal_notes", "longtext", required=False, max_chars=2000),
)
FIELD_BY_NAME = {spec.name: spec for spec in FIELDS}
CONTACT_BLOCK = (
    "contact_name",
    "contact_email",
    "contact_phone",
    "contact_fax",
    "contact_homepage",
)
# things outside the field table that submission also needs
EXTRA_REQUIREMENTS = ("attachment", "companies", "jobs")


# --- which fields apply ------------------------------------------------------------------


def applies(spec: FieldSpec, program_type: str, training_required: bool | None) -> bool:
    if program_type not in spec.types:
        return False
    return not (spec.training and training_required is not True)


def applicable_fields(program: Program) -> list[FieldSpec]:
    return [s for s in FIELDS if applies(s, program.type, program.training_required)]


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def next_field(program: Program, after: str | None, *, only_empty: bool = False) -> str | None:
    """The next applicable field after ``after`` (the first when None); optionally only empty
    required ones (resuming a draft)."""
    specs = applicable_fields(program)
    names = [s.name for s in specs]
    start = names.index(after) + 1 if after in names else 0
    for spec in specs[start:]:
        if only_empty and not (spec.required and is_empty(getattr(program, spec.name))):
            continue
        return spec.name
    return None


def previous_field(program: Program, before: str) -> str | None:
    names = [s.name for s in applicable_fields(program)]
    if before not in names:
        return None
    index = names.index(before)
    return names[index - 1] if index > 0 else None


# set when the draft is made, not asked then: such a value alone is no answer
DEFAULTED = frozenset({"resume_required"})


def answered_fields(program: Program) -> list[str]:
    """The applicable fields answered so far, in order: those recorded (skips included) and
    any with a value — except a default taken at creation, which counts only once asked."""
    recorded = set(program.answered_fields or ())
    return [
        s.name
        for s in applicable_fields(program)
        if s.name in recorded
        or (s.name not in DEFAULTED and not is_empty(getattr(program, s.name)))
    ]


def unanswered_fields(program: Program) -> list[str]:
    """What resuming the draft asks: every applicable field not answered yet, in order."""
    answered = set(answered_fields(program))
    return [s.name for s in applicable_fields(program) if s.name not in answered]


def with_answered(program: Program, *names: str) -> list[str]:
    """The program's record of answered fields with ``names`` added (a new list)."""
    return list(dict.fromkeys([*(program.answered_fields or ()), *names]))


def missing_fields(program: Program) -> list[str]:
    return [
        s.name
        for s in applicable_fields(program)
        if s.required and is_empty(getattr(program, s.name))
    ]


# --- parsing one field -------------------------------------------------------------------

_INT = re.compile(r"(\d{1,6})\s*(명|시간|h|H|人)?")


def parse_int(raw: str, low: int, high: int) -> int:
    text = unicodedata.normalize("NFKC", raw).strip().replace(",", "")
    m = _INT.fullmatch(text)
    if not m:
        raise DomainError("progreg.int_format", min=low, max=high)
    value = int(m.group(1))
    if not low <= value <= high:
        raise DomainError("progreg.int_range", min=low, max=high, value=value)
    return value


def parse_url(raw: str, max_chars: int = 300) -> str:
    text = unicodedata.normalize("NFKC", raw).strip()
    if text and "://" not in text:
        text = "https://" + text
    parsed = urlparse(text)
    host = parsed.hostname or ""
    if (
        parsed.scheme not in ("http", "https")
        or "." not in host
        or any(c.isspace() for c in text)
        or len(text) > max_chars
    ):
        raise DomainError("progreg.url_format", example=URL_EXAMPLE)
    return text


def parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "yes", "true", "예", "네", "y"):
        return True
    if value in ("0", "no", "false", "아니오", "아니요", "n"):
        return False
    raise DomainError("progreg.choice")


def parse_field(spec: FieldSpec, raw: str, byte_mode: Any) -> Any:
    """Validate one typed answer; returns the value to store."""
    kind = spec.kind
    if kind == "type":
        if raw not in PROGRAM_TYPES:
            raise DomainError("progreg.choice")
        return raw
    if kind == "region":
        if raw.strip() not in REGIONS:
            raise DomainError("progreg.choice")
        return raw.strip()
    if kind == "bool":
        return parse_bool(raw)
    if kind == "int":
        return parse_int(raw, *spec.int_range)
    if kind == "date":
        return parse_date(raw)
    if kind == "phone":
        return require_direct_line(raw).formatted
    if kind == "email":
        return normalize_email(raw)
    if kind == "url":
        return parse_url(raw, spec.max_chars)
    text = require_text(raw)
    if spec.byte_limit is not None:
        check_byte_limit(text, spec.byte_limit, byte_mode)
    check_char_limit(text, spec.max_chars)
    return text
