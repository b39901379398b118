"""The weekly aggregation is set-based: its statements do not grow with the number of agencies,
and its figures match the rows counted here one by one."""

from __future__ import annotations

import io
from collections import Counter
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.context import AppContext
from bot.storage.models import Application, Certificate, Program, SurveyResponse
from bot.storage.queries.reports_weekly import (
    HELD_DAYS,
    SELECTED_STATES,
    WAITING_DAYS,
    reported_condition,
    weekly_data,
)
from tests.reports.conftest import count_statements, seed_world


async def test_statements_do_not_grow_with_agencies(ctx: AppContext) -> None:
    await seed_world(ctx, agencies=4, participants=300)
    async with ctx.db.session() as session:
        with count_statements(ctx.db) as few:
            small = await weekly_data(session, ctx.today(), ctx.now())
        few_reports = await _report_statements(ctx, session)
    await seed_world_more(ctx)
    async with ctx.db.session() as session:
        with count_statements(ctx.db) as many:
            large = await weekly_data(session, ctx.today(), ctx.now())
        many_reports = await _report_statements(ctx, session)
    assert len(small.figures) == 4 and len(large.figures) > 4 * 5
    assert len(few) == len(many) <= 10, many
    assert few_reports == many_reports  # the four national reports and the dashboard too
    assert max(few_reports.values()) <= 8, few_reports


async def _report_statements(ctx: AppContext, session: AsyncSession) -> dict[str, int]:
    from bot.i18n import Translator
    from bot.services.report_files import KINDS
    from bot.services.report_service import build
    from bot.storage.queries.reports_dashboard import national
    from bot.storage.queries.reports_data import Scope

    t, counts = Translator().bind("ko"), {}
    for kind in KINDS:
        with count_statements(ctx.db) as seen:
            await build(session, ctx, t, kind, Scope(), "week")
        counts[kind] = len(seen)
    with count_statements(ctx.db) as seen:
        await national(session, ctx.today(), ctx.now(), ctx.today())
    counts["dashboard"] = len(seen)
    return counts


async def seed_world_more(ctx: AppContext) -> None:
    """A second, larger world in the same database (fresh tables)."""
    from bot.storage.models import Base

    async with ctx.db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in ("alembic_version",):
                await conn.execute(table.delete())
    await seed_world(ctx, agencies=25, participants=1500)


async def test_weekly_figures_match_the_rows_counted_one_by_one(ctx: AppContext) -> None:
    await seed_world(ctx, agencies=6, participants=600)
    now, today = ctx.now(), ctx.today()
    async with ctx.db.session() as session:
        data = await weekly_data(session, today, now)
        reported = {
            p.id: p
            for p in await session.scalars(select(Program).where(reported_condition(today)))
        }
        apps = [a for a in await session.scalars(select(Application)) if a.program_id in reported]
        surveys = {s.application_id for s in await session.scalars(select(SurveyResponse))
                   if s.submitted_at is not None}  # fmt: skip
        certs = {c.application_id: c.status for c in await session.scalars(select(Certificate))}
    states: Counter[tuple[int, str]] = Counter((a.program_id, a.state) for a in apps)
    for agency_id, figures in data.figures.items():
        for fig in figures:
            assert reported[fig.program_id].agency_id == agency_id
            mine = [a for a in apps if a.program_id == fig.program_id]
            assert fig.applied == sum(1 for a in mine if a.state != "draft")
            assert fig.selected == sum(1 for a in mine if a.state in SELECTED_STATES)
            assert fig.completed == states[(fig.program_id, "completed")]
            assert fig.surveys == sum(1 for a in mine if a.id in surveys)
            assert fig.certificates == sum(1 for a in mine if certs.get(a.id) == "approved")
            week = now - timedelta(days=7)
            assert fig.new_this_week == sum(
                1 for a in mine if a.submitted_at is not None and a.submitted_at >= week
            )
    waiting = sorted(
        a.id for a in apps
        if a.state == "submitted" and a.submitted_at < now - timedelta(days=WAITING_DAYS)
    )  # fmt: skip
    found = sorted(x.application_id for att in data.attention.values() for x in att.waiting)
    assert found == waiting and waiting
    held = sorted(
        a.id for a in apps
        if a.state == "held" and a.decided_at < now - timedelta(days=HELD_DAYS)
    )  # fmt: skip
    assert sorted(x.application_id for att in data.attention.values() for x in att.held) == held


async def test_many_charts_are_drawn_in_the_worker_in_order() -> None:
    from matplotlib import image

    from bot.services import charts

    wanted = [
        charts.FunnelChart(f"기관 {n}", ("신청", "선발"), [charts.FunnelRow("과정", (n, 1))], "-")
        for n in range(1, charts.FEW + 3)
    ]
    drawn = await charts.render(wanted)  # more than FEW: the worker process
    assert len(drawn) == len(wanted) and all(png.startswith(b"\x89PNG") for png in drawn)
    assert drawn == [charts.draw(c) for c in wanted]  # the same pictures, in the same order
    assert image.imread(io.BytesIO(drawn[0])).shape[1] > 600
