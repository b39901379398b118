from datetime import date

import pytest

from bot.domain.dates import age_on, parse_date, require_period
from bot.domain.errors import DomainError


@pytest.mark.parametrize(
    "raw",
    [
        "2026-03-05",
        "2026.03.05",
        "2026/03/05",
        "20260305",
        "2026.3.5",
        "2026. 3. 5.",
        " 2026-3-05 ",
        "２０２６－０３－０５",
        "2026년 3월 5일",
        "2026년3월5일",
        "2026 년 03 월 05 일",
    ],
)
def test_parse_date_forms(raw: str) -> None:
    assert parse_date(raw) == date(2026, 3, 5)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "2026-03/05",
        "26-03-05",
        "2026-003-05",
        "2026305",
        "5 March 2026",
        "2026년 3월",
        "2026-03",
    ],
)
def test_parse_date_format_error(raw: str) -> None:
    with pytest.raises(DomainError) as exc:
        parse_date(raw)
    assert exc.value.code == "date.format"
    assert exc.value.params == {"example": "2026-03-15"}


def test_the_refusal_carries_the_callers_example() -> None:
    with pytest.raises(DomainError) as exc:
        parse_date("어제", example="2001-03-15")
    assert exc.value.params == {"example": "2001-03-15"}


@pytest.mark.parametrize(
    "raw", ["2026-02-30", "2026.13.01", "20260431", "2025-02-29", "0000-01-01"]
)
def test_parse_date_invalid_day(raw: str) -> None:
    with pytest.raises(DomainError) as exc:
        parse_date(raw)
    assert exc.value.code == "date.invalid"
    assert exc.value.params == {"value": raw}


def test_leap_day_parses_in_leap_year() -> None:
    assert parse_date("2028-02-29") == date(2028, 2, 29)


def test_age_on_birthday_boundaries() -> None:
    birth = date(2000, 6, 15)
    assert age_on(birth, date(2026, 6, 14)) == 25
    assert age_on(birth, date(2026, 6, 15)) == 26
    assert age_on(birth, date(2026, 12, 31)) == 26
    assert age_on(birth, birth) == 0


def test_age_on_feb29_birthday() -> None:
    birth = date(2004, 2, 29)
    assert age_on(birth, date(2023, 2, 28)) == 18  # common year: not yet
    assert age_on(birth, date(2023, 3, 1)) == 19
    assert age_on(birth, date(2024, 2, 28)) == 19  # leap year: the day itself
    assert age_on(birth, date(2024, 2, 29)) == 20


def test_require_period() -> None:
    require_period(date(2026, 3, 1), date(2026, 4, 30))
    require_period(date(2026, 3, 1), date(2026, 3, 1))
    with pytest.raises(DomainError) as exc:
        require_period(date(2026, 3, 2), date(2026, 3, 1))
    assert exc.value.code == "period.end_before_start"
    assert exc.value.params == {"start": "2026-03-02", "end": "2026-03-01"}
