"""A crontab expression as people say it: "매주 월요일 09:00", not "0 9 * * mon".

:func:`describe` reads the five fields the scheduler reads (APScheduler's ``from_crontab``:
weekday numbers 0–6 are Monday–Sunday, as APScheduler counts) and returns the parts to put in
words; anything more unusual (steps, ranges of hours, several times a day) is left as it is
(``kind == "raw"``), and the screen shows the expression.
"""

from __future__ import annotations

from dataclasses import dataclass

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Schedule:
    kind: str  # daily | weekly | monthly | raw
    time: str = ""  # "09:00"
    weekdays: tuple[str, ...] = ()  # mon … sun, in week order
    day: int = 0  # day of the month (monthly)


def _number(field: str, low: int, high: int) -> int | None:
    return int(field) if field.isdigit() and low <= int(field) <= high else None


def _weekday(token: str) -> list[str] | None:
    token = token.strip().lower()
    if token in WEEKDAYS:
        return [token]
    if token.isdigit() and 0 <= int(token) <= 6:
        return [WEEKDAYS[int(token)]]
    if "-" in token:
        start, _, end = token.partition("-")
        first, last = _weekday(start), _weekday(end)
        if first and last:
            i, j = WEEKDAYS.index(first[0]), WEEKDAYS.index(last[0])
            return list(WEEKDAYS[i : j + 1]) if i <= j else None
    return None


def describe(expr: str) -> Schedule:
    fields = expr.split()
    if len(fields) != 5:
        return Schedule("raw")
    minute, hour, dom, month, dow = fields
    m, h = _number(minute, 0, 59), _number(hour, 0, 23)
    if m is None or h is None or month != "*":
        return Schedule("raw")
    time = f"{h:02d}:{m:02d}"
    if dom == "*" and dow == "*":
        return Schedule("daily", time)
    if dom == "*":
        days: list[str] = []
        for token in dow.split(","):
            found = _weekday(token)
            if found is None:
                return Schedule("raw")
            days += [d for d in found if d not in days]
        ordered = tuple(d for d in WEEKDAYS if d in days)
        return Schedule("weekly", time, weekdays=ordered)
    day = _number(dom, 1, 31)
    if day is not None and dow == "*":
        return Schedule("monthly", time, day=day)
    return Schedule("raw")
