"""/dashboard for the support center: the national funnel, the agencies that need attention, and
a national xlsx with one row per agency and program.

An agency needs attention when this week's data is not checked (점검 완료), applications have
been held longer than ``HELD_DAYS`` days, a program is under-recruited or past its start without
a confirmed roster, or certificates wait for the center. Center only (others refused, audited).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass

from bot.i18n import Texts
from bot.services import audit
from bot.services.charts import FunnelChart, FunnelRow
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.report_files import ReportFile
from bot.services.reports_text import week_of
from bot.services.xlsx_style import XLSX_MIME, Sheet, write_workbook
from bot.storage.queries.reports_dashboard import National, national
from bot.storage.queries.reports_weekly import CERTIFIED_STATES, HELD_DAYS, SELECTED_STATES

STAGES = ("applied", "certified", "selected", "completed")


@dataclass(frozen=True)
class AgencyAttention:
    agency_id: int
    name: str
    week_unchecked: bool
    held_long: int
    under_recruited: int
    not_started: int
    cert_waiting: int

    @property
    def score(self) -> int:
        return (
            int(self.week_unchecked) + self.held_long + self.under_recruited
            + self.not_started + self.cert_waiting
        )  # fmt: skip

    def items(self, t: Texts) -> list[str]:
        found = [t("dashboard.week_unchecked")] if self.week_unchecked else []
        for key in ("held_long", "under_recruited", "not_started", "cert_waiting"):
            n = getattr(self, key)
            if n:
                found.append(t(f"dashboard.{key}", n=n, days=HELD_DAYS))
        return found


@dataclass(frozen=True)
class Dashboard:
    funnel: Counter[str]
    by_type: dict[str, Counter[str]]
    agencies: int
    programs: int
    attention: list[AgencyAttention]  # most to look at first
    chart: FunnelChart


def _stages(states: Counter[str]) -> Counter[str]:
    return Counter(
        applied=sum(states.values()),
        certified=sum(states[s] for s in CERTIFIED_STATES),
        selected=sum(states[s] for s in SELECTED_STATES),
        completed=states["completed"],
        dropped=states["dropped"],
    )


def attention(data: National, ctx: AppContext) -> list[AgencyAttention]:
    today = ctx.today()
    per: dict[int, Counter[str]] = {aid: Counter() for aid in data.agencies}
    for p in data.programs:
        c = per.setdefault(p.agency_id, Counter())
        c["held_long"] += p.held_long
        c["cert_waiting"] += p.cert_waiting
        c["under_recruited"] += p.under_recruited(today)
        c["not_started"] += p.not_started(today)
    found = [
        AgencyAttention(
            aid, data.agencies.get(aid, str(aid)), aid not in data.checked, c["held_long"],
            c["under_recruited"], c["not_started"], c["cert_waiting"],
        )
        for aid, c in per.items()
    ]  # fmt: skip
    return sorted((a for a in found if a.score), key=lambda a: (-a.score, a.agency_id))


async def _load(ctx: AppContext, actor: Actor, action: str) -> National:
    if not actor.is_center:
        await audit.refuse(ctx, actor, action, "dashboard", None, code="access.denied")
    async with ctx.db.session() as session:
        data = await national(session, ctx.today(), ctx.now(), week_of(ctx.today()))
        audit.record(session, actor, action, "dashboard", "national")
    return data


async def dashboard(ctx: AppContext, actor: Actor, t: Texts) -> Dashboard:
    data = await _load(ctx, actor, "dashboard.view")
    total: Counter[str] = Counter()
    by_type: dict[str, Counter[str]] = {}
    for p in data.programs:
        total.update(p.states)
        by_type.setdefault(p.type, Counter()).update(p.states)
    types = {kind: _stages(states) for kind, states in sorted(by_type.items())}
    chart = FunnelChart(
        t("dashboard.chart_title", date=ctx.today().isoformat()),
        tuple(t(f"weekly.stage.{s}") for s in STAGES),
        [FunnelRow(t(f"report.ptype.{k}"), tuple(c[s] for s in STAGES)) for k, c in types.items()],
        t("rpt.chart_empty"),
    )
    return Dashboard(
        _stages(total), types, len(data.agencies), len(data.programs), attention(data, ctx), chart
    )


async def national_xlsx(ctx: AppContext, actor: Actor, t: Texts) -> tuple[ReportFile, int]:
    """One row per agency and program: the funnel and what needs a look (and the row count)."""
    data = await _load(ctx, actor, "dashboard.export")
    today = ctx.today()
    yes = t("dashboard.flag")
    rows = [
        [
            p.agency, p.name, t(f"report.ptype.{p.type}"),
            f"{p.period_start or ''} ~ {p.period_end or ''}", p.total_recruitment,
            sum(p.states.values()), sum(p.states[s] for s in CERTIFIED_STATES), p.states["held"],
            p.selected, p.states["completed"], p.states["dropped"], p.held_long, p.cert_waiting,
            yes if p.under_recruited(today) else "", yes if p.not_started(today) else "",
            t("dashboard.checked_yes" if p.agency_id in data.checked else "dashboard.checked_no"),
        ]
        for p in data.programs
    ]  # fmt: skip
    columns = ["agency", "program", "program_type", "period", "recruitment", "applications",
               "certified", "held", "selected", "completed", "dropped", "held_long",
               "cert_waiting", "under_recruited", "not_started", "week_checked"]  # fmt: skip
    title = t("dashboard.file_title", date=today.isoformat())
    sheet = Sheet(t("rpt.sheet.national"), [t(f"rpt.col.{c}") for c in columns], rows, title)
    content = await asyncio.to_thread(write_workbook, [sheet])
    return ReportFile(f"national_{today:%Y%m%d}.xlsx", content, XLSX_MIME), len(rows)
