"""Until when a program recruits: the staff's last day, else the day before the start."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.errors import DomainError
from bot.domain.recruit_dates import check_recruit_until, is_over, last_day

START = date(2027, 3, 2)


def test_last_day() -> None:
    assert last_day(date(2027, 2, 10), START) == date(2027, 2, 10)
    assert last_day(None, START) == date(2027, 3, 1)
    assert last_day(None, None) is None


def test_over_after_the_last_day_only() -> None:
    assert not is_over(date(2027, 2, 10), START, date(2027, 2, 10))
    assert is_over(date(2027, 2, 10), START, date(2027, 2, 11))
    assert is_over(None, START, START)  # rolling recruitment ends when the program starts
    assert not is_over(None, None, date(2099, 1, 1))


@pytest.mark.parametrize(
    ("value", "code"),
    [(date(2027, 1, 31), "recruit.until_past"), (START, "recruit.until_after_start")],
)
def test_refused_last_days(value: date, code: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_recruit_until(value, date(2027, 2, 1), START)
    assert refused.value.code == code
