"""Callback data of weekly reporting and reports (``wkchk``, ``rpt``; /export is a form-engine
flow)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.keyboards.bounds import Id, OptId, Page, Word

# = bot.services.reports.CHECK_BUTTON_PREFIX (the outbox builds this button), not imported from
# there: that would load the report services at start (tests/unit/test_lazy_imports.py)
CHECK_BUTTON_PREFIX = "wkchk"


class WeeklyCheckCB(CallbackData, prefix=CHECK_BUTTON_PREFIX):
    """The "점검 완료" button of a weekly reminder (sent through the outbox)."""

    agency_id: Id
    week: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]  # ISO date of the week's Monday


class ReportAct(StrEnum):
    SCOPE = "scope"
    PAGE = "page"
    MENU = "menu"
    SHOW = "show"
    OK = "ok"
    NAT = "nat"


class ReportSpan(StrEnum):
    WEEK = "week"
    MONTH = "month"


class ReportCB(CallbackData, prefix="rpt"):
    """/reports and /dashboard. act: scope (pick an agency) | page (agency list page) | menu (the
    kinds for a scope) | show (make a report) | ok (제출 준비 완료) | nat (national xlsx);
    agency 0 = all agencies; span: week | month (실적보고)."""

    act: ReportAct
    kind: Word = ""
    agency: OptId = 0
    span: ReportSpan = ReportSpan.WEEK
    page: Page = 0
