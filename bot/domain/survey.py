"""The satisfaction survey (만족도 조사) as data: ``rules/survey.toml`` → :class:`Survey`.

Questions are 1–5 scale items or free text; their wording lives in the locale files under
``survey.q.<key>``. Answers are a plain ``{key: int | str | None}`` mapping (``None`` =
skipped), so they can be saved one by one as the participant goes and resumed later.

Codes raised (params in parentheses):
- ``survey.scale_range`` (min, max) — a scale answer outside the scale.
- ``survey.text_empty`` — an empty text answer to a required question.
- ``survey.text_too_long`` (used, limit) — a text answer over ``max_chars``.
- ``survey.cannot_skip`` — skipping a required question.
- ``survey.incomplete`` (missing) — submitting with required questions unanswered (1-based
  question numbers, comma-separated).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.domain.errors import DomainError

SURVEY_FILE = "survey.toml"


class SurveyKind(StrEnum):
    SCALE = "scale"
    TEXT = "text"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SurveyQuestion(_Frozen):
    key: str
    kind: SurveyKind
    required: bool = True
    max_chars: int = Field(default=1000, gt=0)


class Survey(_Frozen):
    version: int = Field(ge=1)
    scale_min: int = 1
    scale_max: int = 5
    questions: tuple[SurveyQuestion, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Survey:
        if self.scale_min >= self.scale_max:
            raise ValueError("scale_min must be below scale_max")
        keys = [q.key for q in self.questions]
        if len(set(keys)) != len(keys):
            raise ValueError("duplicate survey question key")
        if not keys:
            raise ValueError("a survey needs at least one question")
        return self

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)

    def index_of(self, key: str) -> int:
        for index, question in enumerate(self.questions):
            if question.key == key:
                return index
        raise KeyError(key)

    def check_answer(self, question: SurveyQuestion, value: object) -> int | str | None:
        """Validate one answer; ``None`` means skipped. Returns the value to store."""
        if value is None:
            if question.required:
                raise DomainError("survey.cannot_skip")
            return None
        if question.kind is SurveyKind.SCALE:
            if isinstance(value, bool) or not isinstance(value, int):
                raise DomainError("survey.scale_range", min=self.scale_min, max=self.scale_max)
            if value not in self.scale:
                raise DomainError("survey.scale_range", min=self.scale_min, max=self.scale_max)
            return value
        text = str(value).strip()
        if not text:
            if question.required:
                raise DomainError("survey.text_empty")
            return None
        if len(text) > question.max_chars:
            raise DomainError("survey.text_too_long", used=len(text), limit=question.max_chars)
        return text

    def first_open(self, answers: Mapping[str, Any]) -> int:
        """Index of the first question not answered (nor skipped) yet; ``len`` when done."""
        for index, question in enumerate(self.questions):
            if question.key not in answers:
                return index
        return len(self.questions)

    def missing(self, answers: Mapping[str, Any]) -> list[int]:
        """1-based numbers of required questions without an answer."""
        return [
            index + 1
            for index, question in enumerate(self.questions)
            if question.required and answers.get(question.key) is None
        ]

    def check_complete(self, answers: Mapping[str, Any]) -> None:
        missing = self.missing(answers)
        if missing:
            raise DomainError("survey.incomplete", missing=", ".join(map(str, missing)))

    def average(self, answers: Mapping[str, Any]) -> float | None:
        """Mean of the scale answers given (for summaries); ``None`` when there are none."""
        values = [
            answers[q.key]
            for q in self.questions
            if q.kind is SurveyKind.SCALE and isinstance(answers.get(q.key), int)
        ]
        return sum(values) / len(values) if values else None


@cache
def load_survey() -> Survey:
    """The survey definition (cached; the model is immutable)."""
    text = resources.files("bot.domain.rules").joinpath(SURVEY_FILE).read_text(encoding="utf-8")
    return Survey.model_validate(tomllib.loads(text))
