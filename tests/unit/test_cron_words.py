"""Schedules in words: the settings' defaults and the shapes a center operator might set."""

from __future__ import annotations

import pytest

from bot.domain.cron_words import Schedule, describe
from bot.handlers.jobs import schedule_text
from bot.i18n import Translator


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("0 9 * * mon", Schedule("weekly", "09:00", weekdays=("mon",))),
        ("0 9 * * wed", Schedule("weekly", "09:00", weekdays=("wed",))),
        ("30 8 * * *", Schedule("daily", "08:30")),
        ("0 10 * * *", Schedule("daily", "10:00")),
        (
            "0 9 * * mon-fri",
            Schedule("weekly", "09:00", weekdays=("mon", "tue", "wed", "thu", "fri")),
        ),
        ("0 9 * * fri,mon", Schedule("weekly", "09:00", weekdays=("mon", "fri"))),
        ("0 9 * * 0", Schedule("weekly", "09:00", weekdays=("mon",))),  # APScheduler: 0 = Monday
        ("0 9 1 * *", Schedule("monthly", "09:00", day=1)),
        ("*/15 * * * *", Schedule("raw")),
        ("0 9 * 1 *", Schedule("raw")),
        ("nonsense", Schedule("raw")),
    ],
)
def test_describe(expr: str, expected: Schedule) -> None:
    assert describe(expr) == expected


def test_rendered_in_korean() -> None:
    t = Translator().bind("ko")
    assert schedule_text(t, "0 9 * * mon") == "매주 월요일 09:00"
    assert schedule_text(t, "0 9 * * mon,wed") == "매주 월·수요일 09:00"
    assert schedule_text(t, "30 8 * * *") == "매일 08:30"
    assert schedule_text(t, "0 9 1 * *") == "매월 1일 09:00"
    assert schedule_text(t, "*/15 * * * *") == "*/15 * * * *"
