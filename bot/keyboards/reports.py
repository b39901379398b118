"""Callback data of weekly reporting and exports (prefixes ``wkchk``, ``exp``)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.services.reports import CHECK_BUTTON_PREFIX


class WeeklyCheckCB(CallbackData, prefix=CHECK_BUTTON_PREFIX):
    """The "점검 완료" button of a weekly reminder (sent through the outbox)."""

    agency_id: int
    week: str  # ISO date of the week's Monday


class ExportCB(CallbackData, prefix="exp"):
    """One step of /export. act: scope | page | fmt | ds | mask | back; val: the choice."""

    act: str
    val: str = ""


class ReportCB(CallbackData, prefix="rpt"):
    """/reports and /dashboard. act: scope (pick an agency) | page (agency list page) | menu (the
    kinds for a scope) | show (make a report) | ok (제출 준비 완료) | nat (national xlsx);
    agency 0 = all agencies; span: week | month (실적보고)."""

    act: str
    kind: str = ""
    agency: int = 0
    span: str = "week"
    page: int = 0
