"""Program-year rules as data: ``bot/domain/rules/<year>.toml`` → :class:`YearRules`.

The rules of 청년일경험지원사업 change every year (age bounds, allowance, limits), so they live in
one versioned TOML file per program year, read with :mod:`importlib.resources` (works from a wheel
or a zip) and validated strictly: an unknown or misspelt key in a rules file fails at load time.

Codes raised (params in parentheses):
- ``rules.unknown_year`` (year, available) — no rules file for that year; ``available`` is a
  comma-separated list of years.
"""

from __future__ import annotations

import tomllib
from enum import StrEnum
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.domain.errors import DomainError

_RULES_PACKAGE = "bot.domain.rules"


class QuestionKind(StrEnum):
    YES_NO = "yes_no"
    NUMBER = "number"
    DATE = "date"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EligibilityQuestion(_Frozen):
    """One self-declaration question; the UI words it from the locale key ``elig.q.<key>``."""

    key: str
    kind: QuestionKind
    min: int | None = None
    max: int | None = None
    ask_if: str | None = None
    allow_unknown: bool = False

    @model_validator(mode="after")
    def _bounds_fit_kind(self) -> EligibilityQuestion:
        if self.kind is not QuestionKind.NUMBER and (self.min is not None or self.max is not None):
            raise ValueError(f"question {self.key!r}: min/max only apply to numbers")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"question {self.key!r}: min > max")
        if self.allow_unknown and self.kind is not QuestionKind.YES_NO:
            raise ValueError(f"question {self.key!r}: allow_unknown only applies to yes/no")
        return self


class Allowance(_Frozen):
    """참여수당 in KRW."""

    weekly: int = Field(gt=0)
    monthly_cap: int = Field(gt=0)
    unpaid_while_receiving_unemployment_benefits: bool = True

    def for_weeks(self, weeks: int) -> int:
        """The allowance for ``weeks`` attended weeks within one month, capped monthly."""
        return min(max(weeks, 0) * self.weekly, self.monthly_cap)


class YearRules(_Frozen):
    year: int = Field(ge=2000, le=2999)
    age_min: int = Field(ge=0)
    age_max: int = Field(ge=0)
    max_participations_per_year: int = Field(ge=1)
    max_voluntary_dropouts: int = Field(ge=1)
    weekly_hours_employed_threshold: int = Field(gt=0, le=168)
    collect_resident_number: bool = False
    allowance: Allowance
    questions: tuple[EligibilityQuestion, ...]

    @model_validator(mode="after")
    def _consistent(self) -> YearRules:
        if self.age_min > self.age_max:
            raise ValueError("age_min > age_max")
        seen: dict[str, EligibilityQuestion] = {}
        for question in self.questions:
            if question.key in seen:
                raise ValueError(f"duplicate question {question.key!r}")
            condition = seen.get(question.ask_if) if question.ask_if else None
            if question.ask_if and (
                condition is None or condition.kind is not QuestionKind.YES_NO
            ):
                raise ValueError(
                    f"question {question.key!r}: ask_if must name an earlier yes/no question"
                )
            seen[question.key] = question
        return self

    def question(self, key: str) -> EligibilityQuestion:
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(key)


def available_years() -> list[int]:
    """Program years that have a rules file, ascending."""
    return list(_years())


@cache
def _years() -> tuple[int, ...]:  # the files ship with the package: listed once per process
    files = resources.files(_RULES_PACKAGE).iterdir()
    return tuple(
        sorted(
            int(f.name[:-5]) for f in files if f.name.endswith(".toml") and f.name[:-5].isdigit()
        )
    )


@cache
def _read(year: int) -> YearRules:
    text = resources.files(_RULES_PACKAGE).joinpath(f"{year}.toml").read_text(encoding="utf-8")
    rules = YearRules.model_validate(tomllib.loads(text))
    if rules.year != year:
        raise ValueError(f"{year}.toml declares year {rules.year}")
    return rules


def read_rules(year: int) -> YearRules:
    """Load and validate one year's rules (cached; the model is immutable)."""
    if year not in available_years():
        available = ", ".join(str(y) for y in available_years())
        raise DomainError("rules.unknown_year", year=year, available=available)
    return _read(year)
