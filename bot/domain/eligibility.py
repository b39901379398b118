"""Eligibility (자격) of an applicant for one program year, from a self-declaration.

The rules are data (:mod:`.year_rules`, ``rules/<year>.toml``); this module applies them. The
result names every rule that fails, so the bot can explain a "not eligible" answer, plus notes
(allowed, with a consequence) and checks staff must make against official records, because the
answers are only a self-declaration.

Findings (``Finding.code`` with ``params``):
- failures: ``elig.age`` (age, min, max) · ``elig.nationality`` · ``elig.employed`` (hours,
  threshold; hours is None when not given) · ``elig.business_owner`` · ``elig.participations``
  (count, max) · ``elig.dropouts`` (count, max) · ``elig.other_program`` · ``elig.relative`` ·
  ``elig.fraud``
- notes: ``elig.note.unemployment_benefits`` (allowance not paid while receiving benefits) ·
  ``elig.note.national_employment_support`` (recorded at selection) ·
  ``elig.note.job_seeking_allowance`` (follows its own rules)
- needs_check: ``elig.check.employment_insurance`` and ``elig.check.business_registration``
  (always: form 101 items) · ``elig.check.weekly_hours`` (hours, threshold: insured but under the
  threshold) · ``elig.check.uninsured_hours`` (hours, threshold: not insured but declares at least
  the threshold) · ``elig.check.relative`` (relationship to the host owner not known yet)

Codes raised (params in parentheses):
- ``elig.answer_missing`` (key) · ``elig.answer_invalid`` (key, kind) · ``elig.answer_range``
  (key, min, max) — from :func:`build_answers` / :func:`check_answer`.
- ``rules.unknown_year`` (year, available) — from :func:`load_rules`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.domain.dates import age_on
from bot.domain.errors import DomainError
from bot.domain.year_rules import (
    Allowance,
    EligibilityQuestion,
    QuestionKind,
    YearRules,
    available_years,
    read_rules,
)

__all__ = [
    "Allowance",
    "EligibilityAnswers",
    "EligibilityQuestion",
    "EligibilityResult",
    "Finding",
    "QuestionKind",
    "YearRules",
    "available_years",
    "build_answers",
    "check_answer",
    "evaluate",
    "load_rules",
    "settled_failures",
]


@dataclass(frozen=True)
class EligibilityAnswers:
    """The applicant's self-declaration (form 101 items plus the program-year exclusions)."""

    birth_date: date
    employed_with_insurance: bool
    weekly_hours: int | None
    business_owner: bool
    unemployment_benefits: bool
    job_seeking_allowance: bool
    national_employment_support: bool
    participations_this_year: int  # earlier ones this program year; a voluntary drop-out counts
    voluntary_dropouts: int
    other_government_program: bool
    korean_national: bool
    relative_of_host_owner: bool | None  # None: not known yet (e.g. no host company chosen)
    past_fraud: bool


ANSWER_KEYS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(EligibilityAnswers))


@dataclass(frozen=True)
class Finding:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EligibilityResult:
    eligible: bool
    failures: list[Finding]
    notes: list[Finding]
    needs_check: list[Finding]

    @property
    def failure_codes(self) -> list[str]:
        return [f.code for f in self.failures]


def load_rules(year: int) -> YearRules:
    """The rules of a program year; also checks the questions cover every answer field."""
    rules = read_rules(year)
    asked = {q.key for q in rules.questions}
    if asked != set(ANSWER_KEYS):
        missing = sorted(set(ANSWER_KEYS) - asked)
        unknown = sorted(asked - set(ANSWER_KEYS))
        raise ValueError(f"{year}.toml questions: missing {missing}, unknown {unknown}")
    return rules


def evaluate(answers: EligibilityAnswers, rules: YearRules, on: date) -> EligibilityResult:
    """Apply ``rules`` to ``answers`` as of ``on`` (the application date)."""
    failures: list[Finding] = []
    notes: list[Finding] = []
    checks: list[Finding] = []
    threshold = rules.weekly_hours_employed_threshold
    hours = answers.weekly_hours

    age = age_on(answers.birth_date, on)
    if not rules.age_min <= age <= rules.age_max:
        failures.append(
            Finding("elig.age", {"age": age, "min": rules.age_min, "max": rules.age_max})
        )
    if not answers.korean_national:
        failures.append(Finding("elig.nationality"))
    if answers.employed_with_insurance:
        # Hours not given for insured work: treat as full-time (the question asks for them).
        if hours is None or hours >= threshold:
            failures.append(Finding("elig.employed", {"hours": hours, "threshold": threshold}))
        else:
            checks.append(
                Finding("elig.check.weekly_hours", {"hours": hours, "threshold": threshold})
            )
    elif hours is not None and hours >= threshold:
        checks.append(
            Finding("elig.check.uninsured_hours", {"hours": hours, "threshold": threshold})
        )
    if answers.business_owner:
        failures.append(Finding("elig.business_owner"))
    limit = rules.max_participations_per_year
    if answers.participations_this_year >= limit:
        failures.append(
            Finding(
                "elig.participations", {"count": answers.participations_this_year, "max": limit}
            )
        )
    if answers.voluntary_dropouts >= rules.max_voluntary_dropouts:
        failures.append(
            Finding(
                "elig.dropouts",
                {"count": answers.voluntary_dropouts, "max": rules.max_voluntary_dropouts},
            )
        )
    if answers.other_government_program:
        failures.append(Finding("elig.other_program"))
    if answers.relative_of_host_owner:
        failures.append(Finding("elig.relative"))
    elif answers.relative_of_host_owner is None:
        checks.append(Finding("elig.check.relative"))
    if answers.past_fraud:
        failures.append(Finding("elig.fraud"))

    if answers.unemployment_benefits:
        notes.append(Finding("elig.note.unemployment_benefits"))
    if answers.national_employment_support:
        notes.append(Finding("elig.note.national_employment_support"))
    if answers.job_seeking_allowance:
        notes.append(Finding("elig.note.job_seeking_allowance"))

    checks[:0] = [
        Finding("elig.check.employment_insurance"),
        Finding("elig.check.business_registration"),
    ]
    return EligibilityResult(not failures, failures, notes, checks)


def check_answer(question: EligibilityQuestion, value: object) -> object:
    """Validate one answer against its question's kind and bounds; return it unchanged."""
    kind = question.kind
    if value is None and kind is QuestionKind.YES_NO and question.allow_unknown:
        return None
    type_ok = (
        (kind is QuestionKind.YES_NO and isinstance(value, bool))
        or (kind is QuestionKind.NUMBER and isinstance(value, int) and not isinstance(value, bool))
        or (kind is QuestionKind.DATE and isinstance(value, date))
    )
    if not type_ok:
        raise DomainError("elig.answer_invalid", key=question.key, kind=kind.value)
    if isinstance(value, int) and not isinstance(value, bool):
        low, high = question.min, question.max
        if (low is not None and value < low) or (high is not None and value > high):
            raise DomainError("elig.answer_range", key=question.key, min=low, max=high)
    return value


def build_answers(values: Mapping[str, object], rules: YearRules) -> EligibilityAnswers:
    """Turn the answers the UI collected (keyed by question) into :class:`EligibilityAnswers`.

    A question whose ``ask_if`` condition was not answered "yes" is skipped and becomes ``None``.
    """
    collected: dict[str, Any] = {}
    for question in rules.questions:
        if question.ask_if is not None and collected.get(question.ask_if) is not True:
            collected[question.key] = None
            continue
        if question.key not in values:
            raise DomainError("elig.answer_missing", key=question.key)
        collected[question.key] = check_answer(question, values[question.key])
    fields: dict[str, Any] = {key: collected.get(key) for key in ANSWER_KEYS}
    return EligibilityAnswers(**fields)


# the answers each failure rests on: a flow stops as soon as they are all given
DECIDED_BY: dict[str, tuple[str, ...]] = {
    "elig.age": ("birth_date",),
    "elig.nationality": ("korean_national",),
    "elig.employed": ("employed_with_insurance", "weekly_hours"),
    "elig.business_owner": ("business_owner",),
    "elig.participations": ("participations_this_year",),
    "elig.dropouts": ("voluntary_dropouts",),
    "elig.other_program": ("other_government_program",),
    "elig.relative": ("relative_of_host_owner",),
    "elig.fraud": ("past_fraud",),
}


def _placeholder(question: EligibilityQuestion, on: date) -> object:
    if question.kind is QuestionKind.DATE:
        return on
    if question.kind is QuestionKind.NUMBER:
        return question.min or 0
    return False


def settled_failures(values: Mapping[str, object], rules: YearRules, on: date) -> list[Finding]:
    """The failures the answers given so far already settle, whatever the rest will be.

    A failure counts once every answer it rests on (:data:`DECIDED_BY`) is given; the missing
    answers are filled with placeholders only so that the rules can run.
    """
    full = {q.key: values.get(q.key, _placeholder(q, on)) for q in rules.questions}
    result = evaluate(build_answers(full, rules), rules, on)
    return [f for f in result.failures if all(key in values for key in DECIDED_BY.get(f.code, ()))]
