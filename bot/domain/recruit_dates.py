"""Until when a program recruits: the staff's last day (모집 마감일) if set, otherwise rolling
recruitment runs until the day before the program starts (no date known: open)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.errors import DomainError


def last_day(recruit_until: date | None, period_start: date | None) -> date | None:
    if recruit_until is not None:
        return recruit_until
    return period_start - timedelta(days=1) if period_start is not None else None


def is_over(recruit_until: date | None, period_start: date | None, today: date) -> bool:
    until = last_day(recruit_until, period_start)
    return until is not None and today > until


def check_recruit_until(value: date, today: date, period_start: date | None) -> None:
    """A last day staff may set: not in the past, and before the program starts."""
    if value < today:
        raise DomainError("recruit.until_past", today=today.isoformat())
    if period_start is not None and value >= period_start:
        raise DomainError("recruit.until_after_start", start=period_start.isoformat())
