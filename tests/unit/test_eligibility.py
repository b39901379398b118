import dataclasses
from datetime import date
from typing import Any

import pytest

from bot.domain.eligibility import (
    ANSWER_KEYS,
    EligibilityAnswers,
    Finding,
    QuestionKind,
    available_years,
    build_answers,
    check_answer,
    evaluate,
    load_rules,
    settled_failures,
)
from bot.domain.errors import DomainError

APPLIED = date(2026, 3, 10)
RULES = load_rules(2026)
ALWAYS_CHECKED = ["elig.check.employment_insurance", "elig.check.business_registration"]


def answers(**changes: Any) -> EligibilityAnswers:
    base = EligibilityAnswers(
        birth_date=date(2000, 5, 1),
        employed_with_insurance=False,
        weekly_hours=None,
        business_owner=False,
        unemployment_benefits=False,
        job_seeking_allowance=False,
        national_employment_support=False,
        participations_this_year=0,
        voluntary_dropouts=0,
        other_government_program=False,
        korean_national=True,
        relative_of_host_owner=False,
        past_fraud=False,
    )
    return dataclasses.replace(base, **changes)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def test_clean_applicant_is_eligible() -> None:
    result = evaluate(answers(), RULES, APPLIED)
    assert result.eligible
    assert result.failures == []
    assert result.notes == []
    assert codes(result.needs_check) == ALWAYS_CHECKED


@pytest.mark.parametrize(
    ("birth", "age", "eligible"),
    [
        (date(2011, 3, 11), 14, False),  # turns 15 the day after applying
        (date(2011, 3, 10), 15, True),
        (date(1991, 3, 11), 34, True),  # turns 35 the day after applying
        (date(1991, 3, 10), 35, False),
    ],
)
def test_age_bounds_on_application_date(birth: date, age: int, eligible: bool) -> None:
    result = evaluate(answers(birth_date=birth), RULES, APPLIED)
    assert result.eligible is eligible
    if not eligible:
        assert result.failures == [Finding("elig.age", {"age": age, "min": 15, "max": 34})]


def test_feb29_birthday_age_in_common_year() -> None:
    birth = date(1992, 2, 29)
    assert evaluate(answers(birth_date=birth), RULES, date(2027, 2, 28)).eligible  # still 34
    late = evaluate(answers(birth_date=birth), RULES, date(2027, 3, 1))
    assert late.failures == [Finding("elig.age", {"age": 35, "min": 15, "max": 34})]


def test_insured_full_time_is_employed() -> None:
    result = evaluate(answers(employed_with_insurance=True, weekly_hours=40), RULES, APPLIED)
    assert not result.eligible
    assert result.failures == [Finding("elig.employed", {"hours": 40, "threshold": 30})]


def test_insured_exactly_at_threshold_is_employed() -> None:
    result = evaluate(answers(employed_with_insurance=True, weekly_hours=30), RULES, APPLIED)
    assert codes(result.failures) == ["elig.employed"]


def test_insured_without_hours_counts_as_full_time() -> None:
    result = evaluate(answers(employed_with_insurance=True, weekly_hours=None), RULES, APPLIED)
    assert result.failures == [Finding("elig.employed", {"hours": None, "threshold": 30})]


def test_insured_under_threshold_counts_as_not_employed_but_is_checked() -> None:
    result = evaluate(answers(employed_with_insurance=True, weekly_hours=29), RULES, APPLIED)
    assert result.eligible
    assert Finding("elig.check.weekly_hours", {"hours": 29, "threshold": 30}) in result.needs_check


def test_uninsured_full_time_work_is_flagged_for_staff() -> None:
    result = evaluate(answers(weekly_hours=35), RULES, APPLIED)
    assert result.eligible
    assert Finding("elig.check.uninsured_hours", {"hours": 35, "threshold": 30}) in (
        result.needs_check
    )


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"business_owner": True}, "elig.business_owner"),
        ({"other_government_program": True}, "elig.other_program"),
        ({"korean_national": False}, "elig.nationality"),
        ({"relative_of_host_owner": True}, "elig.relative"),
        ({"past_fraud": True}, "elig.fraud"),
    ],
)
def test_exclusions(change: dict[str, Any], code: str) -> None:
    result = evaluate(answers(**change), RULES, APPLIED)
    assert not result.eligible
    assert result.failures == [Finding(code)]


def test_participation_limit() -> None:
    assert evaluate(answers(participations_this_year=1), RULES, APPLIED).eligible
    result = evaluate(answers(participations_this_year=2), RULES, APPLIED)
    assert result.failures == [Finding("elig.participations", {"count": 2, "max": 2})]


def test_two_voluntary_dropouts_exclude() -> None:
    assert evaluate(answers(voluntary_dropouts=1), RULES, APPLIED).eligible
    result = evaluate(answers(voluntary_dropouts=2), RULES, APPLIED)
    assert result.failures == [Finding("elig.dropouts", {"count": 2, "max": 2})]


def test_every_failing_rule_is_named() -> None:
    result = evaluate(
        answers(
            birth_date=date(1980, 1, 1),
            korean_national=False,
            employed_with_insurance=True,
            weekly_hours=40,
            business_owner=True,
            participations_this_year=2,
            voluntary_dropouts=2,
            other_government_program=True,
            relative_of_host_owner=True,
            past_fraud=True,
        ),
        RULES,
        APPLIED,
    )
    assert result.failure_codes == [
        "elig.age",
        "elig.nationality",
        "elig.employed",
        "elig.business_owner",
        "elig.participations",
        "elig.dropouts",
        "elig.other_program",
        "elig.relative",
        "elig.fraud",
    ]


def test_benefit_notes_do_not_exclude() -> None:
    result = evaluate(
        answers(
            unemployment_benefits=True,
            national_employment_support=True,
            job_seeking_allowance=True,
        ),
        RULES,
        APPLIED,
    )
    assert result.eligible
    assert codes(result.notes) == [
        "elig.note.unemployment_benefits",
        "elig.note.national_employment_support",
        "elig.note.job_seeking_allowance",
    ]


def test_unknown_relationship_needs_a_check() -> None:
    result = evaluate(answers(relative_of_host_owner=None), RULES, APPLIED)
    assert result.eligible
    assert codes(result.needs_check) == [*ALWAYS_CHECKED, "elig.check.relative"]


# --- rules as data --------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_rules_files_load(year: int) -> None:
    rules = load_rules(year)
    assert rules.year == year
    assert (rules.age_min, rules.age_max) == (15, 34)
    assert rules.max_participations_per_year == 2
    assert rules.weekly_hours_employed_threshold == 30
    assert rules.collect_resident_number is False
    assert rules.allowance.weekly == 350_000
    assert rules.allowance.monthly_cap == 1_400_000
    assert {q.key for q in rules.questions} == set(ANSWER_KEYS)


def test_available_years_and_unknown_year() -> None:
    assert {2025, 2026} <= set(available_years())
    with pytest.raises(DomainError) as exc:
        load_rules(1999)
    assert exc.value.code == "rules.unknown_year"
    assert exc.value.params["year"] == 1999
    assert "2026" in exc.value.params["available"]


def test_questions_are_ordered_and_typed() -> None:
    keys = [q.key for q in RULES.questions]
    assert keys[0] == "birth_date"
    assert keys.index("employed_with_insurance") < keys.index("weekly_hours")
    assert RULES.question("birth_date").kind is QuestionKind.DATE
    assert RULES.question("weekly_hours").ask_if == "employed_with_insurance"
    assert RULES.question("relative_of_host_owner").allow_unknown
    with pytest.raises(KeyError):
        RULES.question("shoe_size")


def test_allowance_is_capped_monthly() -> None:
    assert RULES.allowance.for_weeks(2) == 700_000
    assert RULES.allowance.for_weeks(4) == 1_400_000
    assert RULES.allowance.for_weeks(5) == 1_400_000
    assert RULES.allowance.for_weeks(-1) == 0


def test_rules_models_are_strict() -> None:
    data = RULES.model_dump()
    with pytest.raises(ValueError):
        type(RULES).model_validate({**data, "age_min": 40})
    with pytest.raises(ValueError):
        type(RULES).model_validate({**data, "surprise": 1})
    dup = [*data["questions"], data["questions"][0]]
    with pytest.raises(ValueError, match="duplicate"):
        type(RULES).model_validate({**data, "questions": dup})
    orphan = [{"key": "x", "kind": "number", "ask_if": "nothing"}, *data["questions"]]
    with pytest.raises(ValueError, match="ask_if"):
        type(RULES).model_validate({**data, "questions": orphan})
    for bad in (
        {"key": "x", "kind": "date", "min": 1},
        {"key": "x", "kind": "number", "min": 5, "max": 1},
        {"key": "x", "kind": "number", "allow_unknown": True},
    ):
        with pytest.raises(ValueError):
            type(RULES.questions[0]).model_validate(bad)


# --- answers collected generically by the UI --------------------------------------------------


def collected(**changes: Any) -> dict[str, Any]:
    values = dataclasses.asdict(answers())
    values.pop("weekly_hours")
    values.update(changes)
    return values


def test_build_answers_skips_conditional_question() -> None:
    built = build_answers(collected(weekly_hours=99), RULES)
    assert built.weekly_hours is None  # not insured: the hours question was not asked
    assert built == answers()


def test_build_answers_with_conditional_question() -> None:
    built = build_answers(collected(employed_with_insurance=True, weekly_hours=20), RULES)
    assert built.weekly_hours == 20


def test_build_answers_missing() -> None:
    with pytest.raises(DomainError) as exc:
        build_answers(collected(employed_with_insurance=True), RULES)
    assert exc.value.code == "elig.answer_missing"
    assert exc.value.params == {"key": "weekly_hours"}


def test_build_answers_accepts_unknown_where_allowed() -> None:
    assert (
        build_answers(collected(relative_of_host_owner=None), RULES).relative_of_host_owner is None
    )
    with pytest.raises(DomainError) as exc:
        build_answers(collected(past_fraud=None), RULES)
    assert exc.value.code == "elig.answer_invalid"
    assert exc.value.params == {"key": "past_fraud", "kind": "yes_no"}


@pytest.mark.parametrize(
    ("key", "value", "kind"),
    [
        ("birth_date", "2000-01-01", "date"),
        ("participations_this_year", "1", "number"),
        ("participations_this_year", True, "number"),
        ("korean_national", 1, "yes_no"),
    ],
)
def test_check_answer_types(key: str, value: object, kind: str) -> None:
    with pytest.raises(DomainError) as exc:
        check_answer(RULES.question(key), value)
    assert exc.value.code == "elig.answer_invalid"
    assert exc.value.params == {"key": key, "kind": kind}


def test_check_answer_range() -> None:
    question = RULES.question("weekly_hours")
    assert check_answer(question, 0) == 0
    assert check_answer(question, 168) == 168
    for value in (-1, 169):
        with pytest.raises(DomainError) as exc:
            check_answer(question, value)
        assert exc.value.code == "elig.answer_range"
        assert exc.value.params == {"key": "weekly_hours", "min": 0, "max": 168}


def test_load_rules_refuses_questions_that_do_not_cover_the_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import bot.domain.eligibility as eligibility

    partial = RULES.model_copy(update={"questions": RULES.questions[:-1]})
    monkeypatch.setattr(eligibility, "read_rules", lambda year: partial)
    with pytest.raises(ValueError, match="past_fraud"):
        eligibility.load_rules(2026)


@pytest.mark.parametrize(
    ("given", "settled"),
    [
        ({}, []),
        ({"birth_date": date(2012, 1, 1)}, ["elig.age"]),
        ({"birth_date": date(2000, 1, 1)}, []),
        ({"korean_national": False}, ["elig.nationality"]),
        ({"employed_with_insurance": True}, []),  # the hours are not known yet
        ({"employed_with_insurance": True, "weekly_hours": 40}, ["elig.employed"]),
        ({"employed_with_insurance": True, "weekly_hours": 20}, []),
        ({"business_owner": True}, ["elig.business_owner"]),
        ({"participations_this_year": 2}, ["elig.participations"]),
        ({"relative_of_host_owner": None}, []),  # "don't know" settles nothing
        ({"past_fraud": True, "korean_national": False}, ["elig.nationality", "elig.fraud"]),
    ],
)
def test_settled_failures_need_only_the_answers_they_rest_on(
    given: dict[str, Any], settled: list[str]
) -> None:
    assert codes(settled_failures(given, RULES, APPLIED)) == settled
