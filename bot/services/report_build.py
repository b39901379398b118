"""The four reports built from the data: 사전직무교육 실시보고, 일경험 프로그램 실시보고,
실적보고 (weekly / monthly, cumulative) and 결과보고.

Each builder reads its scope with the set-based queries of ``queries.reports_data`` and returns
a :class:`ReportDoc`: key figures (kept by a sign-off snapshot), the sheets of the xlsx and the
chart. ``t`` is the Korean catalogue (official documents).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import DomainError
from bot.domain.identifiers import format_brn
from bot.i18n import Texts
from bot.services.charts import FunnelChart, FunnelRow
from bot.services.report_files import Figure, ReportDoc
from bot.services.xlsx_style import Sheet
from bot.storage.queries import reports_data as rd

CHART_ROWS = 12  # programs shown in a picture (the xlsx has them all)
DROP_CODES = ("employed", "personal", "health", "absence", "ineligible", "other")


def _sheet(t: Texts, key: str, columns: list[str], rows: list[list[Any]]) -> Sheet:
    return Sheet(t(f"rpt.sheet.{key}"), [t(f"rpt.col.{c}") for c in columns], rows)


def _doc(
    t: Texts, kind: str, period: str, scope: rd.Scope, scope_name: str, subtitle: str,
    figures: dict[str, Figure], sheets: list[Sheet], stages: list[str], rows: list[FunnelRow],
) -> ReportDoc:  # fmt: skip
    title = t("rpt.title", kind=t(f"rpt.kind.{kind}"), scope=scope_name)
    chart = FunnelChart(
        title, tuple(t(f"rpt.stage.{s}") for s in stages), rows[:CHART_ROWS], t("rpt.chart_empty")
    )
    labels = {k: t(f"rpt.fig.{k}") for k in figures}
    return ReportDoc(kind, period, scope, title, subtitle, figures, labels, sheets, chart)


def _period(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return ""
    return f"{start.isoformat() if start else ''} ~ {end.isoformat() if end else ''}"


def _ptype(t: Texts, kind: str) -> str:
    return t(f"report.ptype.{kind}")


def _brn(digits: str | None) -> str:
    try:
        return format_brn(digits) if digits else ""
    except DomainError:  # a number entered before the check digit was checked: as it is
        return digits or ""


# --- 사전직무교육 실시보고 ------------------------------------------------------------------


async def training(
    session: AsyncSession, t: Texts, scope: rd.Scope, name: str, today: date, subtitle: str
) -> ReportDoc:
    programs = await rd.programs(session, scope, training=True)
    people = await rd.roster(session, scope, training=True)
    status: defaultdict[int, Counter[str]] = defaultdict(Counter)
    hours: defaultdict[int, list[int]] = defaultdict(list)
    for p in people:
        status[p.program_id][p.training_status or "not_started"] += 1
        if p.training_hours is not None:
            hours[p.program_id].append(p.training_hours)
    rows, chart = [], []
    for p in programs:
        s = status[p.id]
        target, done, going = sum(s.values()), s["done"], s["in_progress"]
        spent = hours[p.id]
        rows.append([
            p.agency, p.name, _ptype(t, p.type), p.training_institution or "",
            _period(p.training_start, p.training_end), p.training_hours, p.training_method or "",
            p.training_place or "", target, done + going, done, going, s["not_started"],
            round(sum(spent) / len(spent), 1) if spent else None,
        ])  # fmt: skip
        chart.append(FunnelRow(p.name, (target, done + going, done)))
    names = {p.id: p.name for p in programs}
    people_rows = [
        [names.get(p.program_id, ""), p.id, p.name or "",
         t(f"progress.training.{p.training_status or 'not_started'}"), p.training_hours]
        for p in people
    ]  # fmt: skip
    total = Counter[str]()
    for s in status.values():
        total.update(s)
    figures: dict[str, Figure] = {
        "programs": len(programs),
        "trainees": sum(total.values()),
        "started": total["in_progress"] + total["done"],
        "done": total["done"],
        "missed": total["not_started"],
        "hours_planned": sum(p.training_hours or 0 for p in programs),
    }
    sheets = [
        _sheet(t, "training_programs", [
            "agency", "program", "program_type", "institution", "training_period",
            "training_hours", "training_method", "training_place", "trainees", "started", "done",
            "in_progress", "missed", "hours_avg",
        ], rows),
        _sheet(t, "training_people",
               ["program", "app_id", "name", "training_status", "hours_attended"], people_rows),
    ]  # fmt: skip
    return _doc(t, "training", today.isoformat(), scope, name, subtitle, figures, sheets,
                ["target", "started", "done"], chart)  # fmt: skip


# --- 일경험 프로그램 실시보고 ---------------------------------------------------------------


async def program(
    session: AsyncSession, t: Texts, scope: rd.Scope, name: str, today: date, subtitle: str
) -> ReportDoc:
    programs = await rd.programs(session, scope)
    people = await rd.roster(session, scope)
    places = await rd.placements(session, scope)
    selected: Counter[int] = Counter(p.program_id for p in people)
    nes: Counter[int] = Counter(p.program_id for p in people if p.nes)
    assigned: defaultdict[tuple[str, int], list[str]] = defaultdict(list)
    for p in people:
        if p.host_company_id is not None:
            assigned[("company", p.host_company_id)].append(p.name or "")
        if p.team_id is not None:
            assigned[("team", p.team_id)].append(p.name or "")
    place_count: Counter[int] = Counter(row[2] for row in places)
    rows, chart = [], []
    for p in programs:
        locked = p.roster_locked_at.date() if p.roster_locked_at else None
        rows.append([
            p.agency, p.name, _ptype(t, p.type), _period(p.period_start, p.period_end),
            p.total_recruitment, selected[p.id], nes[p.id], place_count[p.id], locked,
            p.contact_name or "", p.contact_phone or "", p.contact_email or "",
        ])  # fmt: skip
        chart.append(FunnelRow(p.name, (p.total_recruitment or 0, selected[p.id], nes[p.id])))
    names = {p.id: p.name for p in programs}
    place_rows = []
    for kind, pid, program_id, label, brn, headcount in places:
        members = assigned[(kind, pid)]
        place_rows.append([
            names.get(program_id, ""), t(f"rpt.kindname.{kind}"), label, _brn(brn), headcount,
            len(members), ", ".join(members),
        ])  # fmt: skip
    figures: dict[str, Figure] = {
        "programs": len(programs),
        "recruitment": sum(p.total_recruitment or 0 for p in programs),
        "selected": sum(selected.values()),
        "nes": sum(nes.values()),
        "placements": len(places),
        "locked": sum(1 for p in programs if p.roster_locked_at is not None),
    }
    sheets = [
        _sheet(t, "programs", [
            "agency", "program", "program_type", "period", "recruitment", "selected", "nes",
            "placements", "roster_locked", "contact", "contact_phone", "contact_email",
        ], rows),
        _sheet(t, "placements", ["program", "kind", "placement", "brn", "headcount", "assigned",
                                 "participants"], place_rows),
    ]  # fmt: skip
    return _doc(t, "program", today.isoformat(), scope, name, subtitle, figures, sheets,
                ["recruitment", "selected", "nes"], chart)  # fmt: skip


def week_bounds(day: date) -> tuple[date, date]:
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)
