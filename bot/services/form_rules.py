"""Rules of the application form, one field at a time, and of the eligibility answers.

Used by the conversation as each answer is typed and again by :mod:`bot.services.applying` on
submit. No database access here: the resident number is sealed with ``ctx.cipher`` only.

Codes raised (params in parentheses):
- ``resume.type`` (ext) · ``resume.too_big`` (size_mb, limit_mb) · ``apply.missing`` (field) ·
  ``apply.no_consent`` · ``elig.not_a_number`` (min, max) · ``elig.answer_range`` ·
  ``rrn.birth_mismatch`` and the ``rrn.*`` / ``phone.*`` / ``email.*`` / ``text.*`` / ``date.*``
  codes of :mod:`bot.domain`
"""

from __future__ import annotations

import base64
from datetime import date
from pathlib import PurePath
from typing import Any

from bot.domain.dates import parse_date
from bot.domain.eligibility import (
    EligibilityQuestion,
    EligibilityResult,
    Finding,
    QuestionKind,
    YearRules,
    build_answers,
    evaluate,
    load_rules,
)
from bot.domain.eligibility import settled_failures as settled
from bot.domain.errors import DomainError
from bot.domain.identifiers import normalize_email, parse_rrn
from bot.domain.phones import require_mobile
from bot.domain.text import check_char_limit, require_text
from bot.services.context import AppContext
from bot.services.crypto import rrn_context
from bot.services.identity import Actor

NAME_LIMIT = 50
SELF_INTRO_LIMIT = 1000
RESUME_LIMIT_MB = 20
RESUME_MAX_BYTES = RESUME_LIMIT_MB * 1024 * 1024
RESUME_MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "hwp": "application/x-hwp",
    "hwpx": "application/hwp+zip",
}
MAGIC = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "hwpx": (b"PK\x03\x04",),
    "hwp": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"HWP Document File"),
}
# 최종학력: code (buttons, locale key apply.edu.<code>) → the value as the portal records it
EDUCATION: dict[str, str] = {
    "middle": "중학교 졸업 이하",
    "high": "고등학교 졸업",
    "college_in": "전문대학 재학",
    "college": "전문대학 졸업",
    "univ_in": "대학교 재학",
    "univ": "대학교 졸업",
    "grad": "대학원 이상",
}

# --- rules of the year --------------------------------------------------------------------------


def year_rules(ctx: AppContext) -> YearRules:
    return load_rules(ctx.settings.program_year)


def collects_resident_number(ctx: AppContext) -> bool:
    """The rules file decides; ``Settings.collect_resident_number`` overrides it when set."""
    override = ctx.settings.collect_resident_number
    return year_rules(ctx).collect_resident_number if override is None else override


def needs_job(program_type: str) -> bool:
    return program_type == "project"


# --- one field at a time ------------------------------------------------------------------------


def clean_name(raw: str) -> str:
    name = require_text(raw)
    check_char_limit(name, NAME_LIMIT)
    return name


def clean_self_intro(raw: str) -> tuple[str, int]:
    text = require_text(raw)
    return text, check_char_limit(text, SELF_INTRO_LIMIT)


def clean_mobile(raw: str) -> str:
    return require_mobile(raw).formatted


def clean_email(raw: str) -> str:
    return normalize_email(raw)


def education_value(code: str) -> str:
    if code not in EDUCATION:
        raise DomainError("apply.missing", field="education")
    return EDUCATION[code]


def check_resume(file_name: str | None, size: int | None) -> str:
    """The file's extension when it is an accepted résumé type and size; refuse otherwise."""
    ext = PurePath(file_name or "").suffix.lower().lstrip(".")
    if ext not in RESUME_MIME:
        raise DomainError("resume.type", ext=ext or "?")
    if size is not None and size > RESUME_MAX_BYTES:
        raise DomainError(
            "resume.too_big", size_mb=f"{size / 1024 / 1024:.1f}", limit_mb=RESUME_LIMIT_MB
        )
    return ext


# the example of a birth date, in the question and in its refusal alike
BIRTH_DATE_EXAMPLE = "2001-03-15"


def parse_answer(question: EligibilityQuestion, raw: str) -> Any:
    """A typed answer (date or number) as stored in the flow's data (JSON: ISO date, int)."""
    if question.kind is QuestionKind.DATE:
        return parse_date(raw, example=BIRTH_DATE_EXAMPLE).isoformat()
    text = raw.strip()
    if not text.isdigit():
        raise DomainError("elig.not_a_number", min=question.min or 0, max=question.max or 0)
    value = int(text)
    if (question.min is not None and value < question.min) or (
        question.max is not None and value > question.max
    ):
        raise DomainError(
            "elig.answer_range", key=question.key, min=question.min, max=question.max
        )
    return value


def _typed(stored: dict[str, Any], rules: YearRules) -> dict[str, Any]:
    values = dict(stored)
    for question in rules.questions:
        if question.kind is QuestionKind.DATE and isinstance(values.get(question.key), str):
            values[question.key] = date.fromisoformat(values[question.key])
    return values


def missing_question(rules: YearRules, stored: dict[str, Any]) -> EligibilityQuestion | None:
    """The first question still to ask (its ``ask_if`` is met and it has no answer)."""
    for question in rules.questions:
        if question.ask_if is not None and stored.get(question.ask_if) is not True:
            continue
        if question.key not in stored:
            return question
    return None


def settled_failures(
    ctx: AppContext, stored: dict[str, Any], on: date | None = None
) -> list[Finding]:
    """Failures the answers so far already settle (the check stops at the first), as of ``on``
    (the application date; None: today)."""
    rules = year_rules(ctx)
    return settled(_typed(stored, rules), rules, on or ctx.today())


def check_eligibility(
    ctx: AppContext, stored: dict[str, Any], on: date | None = None
) -> EligibilityResult:
    rules = year_rules(ctx)
    return evaluate(build_answers(_typed(stored, rules), rules), rules, on or ctx.today())


def birth_date_of(stored: dict[str, Any]) -> date | None:
    value = stored.get("birth_date")
    return date.fromisoformat(value) if isinstance(value, str) else None


def seal_resident_number(
    ctx: AppContext, actor: Actor, raw: str, birth: date | None
) -> tuple[str, str]:
    """Validate a typed resident number; return (encrypted blob as base64, masked form)."""
    if actor.participant_id is None:
        raise DomainError("apply.no_consent")
    rrn = parse_rrn(raw, today=ctx.today())
    if birth is not None and rrn.birth_date != birth:
        raise DomainError("rrn.birth_mismatch")
    blob = ctx.cipher.encrypt(rrn.digits, context=rrn_context(actor.participant_id))
    return base64.b64encode(blob).decode(), rrn.masked
