"""The satisfaction survey as data (bot/domain/rules/survey.toml) and its answer rules."""

from __future__ import annotations

import pytest

from bot.domain.errors import DomainError
from bot.domain.survey import SurveyKind, load_survey
from bot.i18n import load_catalogs


def test_every_question_has_wording_in_every_language() -> None:
    survey = load_survey()
    catalogs = load_catalogs()
    for question in survey.questions:
        assert f"survey.q.{question.key}" in catalogs["ko"]
        assert f"survey.q_short.{question.key}" in catalogs["ko"]
    assert {q.kind for q in survey.questions} == {SurveyKind.SCALE, SurveyKind.TEXT}
    assert list(survey.scale) == [1, 2, 3, 4, 5]


def test_answers_are_checked() -> None:
    survey = load_survey()
    scale = next(q for q in survey.questions if q.kind is SurveyKind.SCALE)
    text = next(q for q in survey.questions if q.kind is SurveyKind.TEXT and not q.required)
    assert survey.check_answer(scale, 5) == 5
    for bad in (0, 6, True, "5"):
        with pytest.raises(DomainError) as error:
            survey.check_answer(scale, bad)
        assert error.value.code == "survey.scale_range"
    with pytest.raises(DomainError) as error:
        survey.check_answer(scale, None)
    assert error.value.code == "survey.cannot_skip"
    assert survey.check_answer(text, "  좋았어요 ") == "좋았어요"
    assert survey.check_answer(text, "   ") is None
    assert survey.check_answer(text, None) is None
    with pytest.raises(DomainError) as error:
        survey.check_answer(text, "가" * (text.max_chars + 1))
    assert error.value.code == "survey.text_too_long"
    assert error.value.params == {"used": text.max_chars + 1, "limit": text.max_chars}


def test_progress_and_completeness() -> None:
    survey = load_survey()
    keys = [q.key for q in survey.questions]
    assert survey.first_open({}) == 0
    answers: dict[str, object] = {keys[0]: 4, keys[1]: 2}
    assert survey.first_open(answers) == 2
    with pytest.raises(DomainError) as error:
        survey.check_complete(answers)
    assert error.value.code == "survey.incomplete"
    full = {q.key: (3 if q.kind is SurveyKind.SCALE else None) for q in survey.questions}
    survey.check_complete(full)
    assert survey.first_open(full) == len(survey.questions)
    assert survey.average(full) == 3
