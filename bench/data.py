"""Group 3 — data scale: the staff pages, the weekly report and an export on a national-size year.

The database is seeded by ``bench.seed`` (500 agencies, 50,000 participants); then the functions
the features call are timed: the review inbox (``bot.services.review.inbox``), the selection page
(``selection.program_summary`` + ``selection.pool``, as ``handlers/selection.py`` renders it), the
weekly-report figures of every agency and one agency's xlsx export. Where the feature's service is
not in the tree yet, an equivalent query stands in and the figure's notes say so.
"""

from __future__ import annotations

import importlib
import inspect
import io
import random
import resource
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, select, true
from sqlalchemy.orm import aliased

from bot.runtime import open_context
from bot.services import review, selection
from bot.services.context import AppContext
from bot.services.identity import Actor, Role
from bot.storage.models import (
    Application,
    Certificate,
    Enrollment,
    HostCompany,
    Job,
    Participant,
    Program,
    SurveyResponse,
)

from .fanout import settings_for
from .report import figure, percentile
from .seed import STAFF_TID, Scale, Seeded, seed

GROUP = "data"
PAGE_TARGET_MS = 50.0
WEEKLY_TARGET_S = 5.0
EXPORT_TARGET_S = 2.0
EXPORT_COLUMNS = (
    "신청번호 프로그램 성명 생년월일 주민등록번호 휴대전화 이메일 최종학력 신청경로 신청일 상태 "
    "국민취업지원제도 직무 참여기업 수료여부 수료일 만족도조사 수료증 발급번호"
).split()


def staff(agency_id: int) -> Actor:
    return Actor(STAFF_TID + agency_id, Role.STAFF, "ko", agency_id=agency_id)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def timed(runs: int, call: Callable[[int], Awaitable[Any]]) -> list[float]:
    """``call(i)`` ``runs`` times; the durations in ms."""
    durations = []
    for i in range(runs):
        started = time.perf_counter()
        await call(i)
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def _page_figure(name: str, values: list[float], notes: str, db_label: str) -> None:
    p95 = percentile(values, 95)
    figure(
        GROUP,
        f"{db_label}.{name}.p95",
        p95,
        "ms",
        below=PAGE_TARGET_MS,
        notes=(
            f"p50 {percentile(values, 50):.1f} ms, max {max(values):.1f} ms, "
            f"n={len(values)}; {notes}"
        ),
    )


# --- the feature functions, or stand-ins until they land ---------------------------------


def _feature(module: str, *names: str) -> Callable[..., Awaitable[Any]] | None:
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    for name in names:
        fn = getattr(mod, name, None)
        if fn is not None and inspect.iscoroutinefunction(fn):
            return fn
    return None


async def weekly_figures_equivalent(
    ctx: AppContext, agency_id: int | None, week_start: date
) -> dict[str, Any]:
    """What the weekly reminder shows an agency (issue 7): per program the applications by
    state, selected vs. recruitment, completions, surveys, certificates; and what needs a look
    (waiting > 3 days, held > 7 days, missing fields, head counts that don't add up).

    ``agency_id`` None: every agency at once (the same queries grouped by agency)."""
    now = ctx.now()
    agency = Program.agency_id
    mine = agency == agency_id if agency_id is not None else true()
    async with ctx.db.session() as session:
        by_state = (
            await session.execute(
                select(agency, Application.program_id, Application.state, func.count())
                .join(Program, Program.id == Application.program_id)
                .where(mine)
                .group_by(agency, Application.program_id, Application.state)
            )
        ).all()
        surveys = (
            await session.execute(
                select(agency, Application.program_id, func.count())
                .join(Program, Program.id == Application.program_id)
                .join(SurveyResponse, SurveyResponse.application_id == Application.id)
                .where(mine, SurveyResponse.submitted_at.is_not(None))
                .group_by(agency, Application.program_id)
            )
        ).all()
        certificates = (
            await session.execute(
                select(agency, Application.program_id, Certificate.status, func.count())
                .join(Program, Program.id == Application.program_id)
                .join(Certificate, Certificate.application_id == Application.id)
                .where(mine)
                .group_by(agency, Application.program_id, Certificate.status)
            )
        ).all()

        async def count_by_agency(*where: Any, participant: bool = False) -> list[Any]:
            stmt = select(agency, func.count()).select_from(Application)
            stmt = stmt.join(Program, Program.id == Application.program_id)
            if participant:
                stmt = stmt.join(Participant, Participant.id == Application.participant_id)
            return list((await session.execute(stmt.where(mine, *where).group_by(agency))).all())

        waiting = await count_by_agency(
            Application.state == "submitted", Application.submitted_at < now - timedelta(days=3)
        )
        held = await count_by_agency(
            Application.state == "held", Application.decided_at < now - timedelta(days=7)
        )
        missing = await count_by_agency(
            Application.state.in_(("submitted", "certified", "selected")),
            (Participant.mobile.is_(None))
            | (Participant.email.is_(None))
            | (Participant.birth_date.is_(None)),
            participant=True,
        )
        programs = (
            await session.execute(
                select(
                    agency,
                    Program.id,
                    Program.total_recruitment,
                    select(func.coalesce(func.sum(HostCompany.headcount), 0))
                    .where(HostCompany.program_id == Program.id)
                    .scalar_subquery(),
                    select(func.coalesce(func.sum(Job.headcount), 0))
                    .where(Job.program_id == Program.id)
                    .scalar_subquery(),
                ).where(mine, Program.status == "approved")
            )
        ).all()
    return {
        "week": week_start.isoformat(),
        "by_state": by_state,
        "surveys": surveys,
        "certificates": certificates,
        "waiting_over_3_days": waiting,
        "held_over_7_days": held,
        "missing_fields": missing,
        "headcount_mismatch": [p[1] for p in programs if (p[3] or p[4]) != p[2]],
    }


async def export_equivalent(ctx: AppContext, agency_id: int) -> bytes:
    """One agency's data as xlsx (issue 7): applications with the participant, the selection,
    the assignment, completion, survey and certificate — one row per application."""
    from openpyxl import Workbook

    company = aliased(HostCompany)
    async with ctx.db.session() as session:
        rows = (
            await session.execute(
                select(
                    Application.id,
                    Program.name,
                    Participant.name,
                    Participant.birth_date,
                    Participant.rrn_masked,
                    Participant.mobile,
                    Participant.email,
                    Application.education,
                    Application.channel,
                    Application.applied_on,
                    Application.state,
                    Application.national_employment_support,
                    Job.name,
                    company.name,
                    Enrollment.outcome,
                    Enrollment.outcome_at,
                    SurveyResponse.submitted_at,
                    Certificate.status,
                    Certificate.issue_number,
                )
                .join(Program, Program.id == Application.program_id)
                .join(Participant, Participant.id == Application.participant_id)
                .outerjoin(Job, Job.id == Application.job_id)
                .outerjoin(Enrollment, Enrollment.application_id == Application.id)
                .outerjoin(company, company.id == Enrollment.host_company_id)
                .outerjoin(SurveyResponse, SurveyResponse.application_id == Application.id)
                .outerjoin(Certificate, Certificate.application_id == Application.id)
                .where(and_(Program.agency_id == agency_id, Application.state != "draft"))
                .order_by(Program.id, Application.id)
            )
        ).all()
    book = Workbook()
    sheet = book.active
    sheet.title = "참여신청"
    sheet.append(EXPORT_COLUMNS)
    for row in rows:
        sheet.append([v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the run -------------------------------------------------------------------------------


async def run(url: str | None, db_label: str, quick: bool, runs: int) -> None:
    scale = Scale(agencies=100, participants=10_000) if quick else Scale()
    with tempfile.TemporaryDirectory(prefix="bench-data-") as tmp:
        workdir = Path(tmp)
        settings = settings_for(url or f"sqlite+aiosqlite:///{workdir / 'data.sqlite3'}", workdir)
        ctx = await open_context(settings)
        try:
            await measure(ctx, scale, db_label, runs)
        finally:
            await ctx.db.dispose()


async def measure(ctx: AppContext, scale: Scale, db_label: str, runs: int) -> None:
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    seeded: Seeded = await seed(ctx.db, scale, ctx.now())
    seeded.seconds = time.perf_counter() - started
    figure(
        GROUP,
        f"{db_label}.seed",
        seeded.seconds,
        "s",
        notes=(
            f"{scale.agencies} agencies, {scale.participants} participants; rows: "
            + ", ".join(f"{t} {n}" for t, n in seeded.rows.items())
        ),
    )
    rng = random.Random(17)

    # staff inbox: random agencies (random page) and the agency with the most waiting cards
    agencies = [a for a, n in seeded.agency_submitted.items() if n]
    largest_agency, largest_inbox = seeded.agency_submitted.most_common(1)[0]

    async def inbox_any(_: int) -> None:
        agency = rng.choice(agencies)
        pages = max(1, -(-seeded.agency_submitted[agency] // review.PAGE_SIZE))
        await review.inbox(ctx, staff(agency), rng.randrange(pages))

    async def inbox_largest(i: int) -> None:
        pages = max(1, -(-largest_inbox // review.PAGE_SIZE))
        await review.inbox(ctx, staff(largest_agency), i % pages)

    await inbox_any(0)  # warm-up
    _page_figure(
        "inbox_page",
        await timed(runs, inbox_any),
        f"review.inbox, random agency and page; median inbox "
        f"{percentile(list(seeded.agency_submitted.values()), 50):.0f} cards",
        db_label,
    )
    _page_figure(
        "inbox_page_largest",
        await timed(runs, inbox_largest),
        f"review.inbox of the agency with the most cards waiting ({largest_inbox}), every page",
        db_label,
    )

    # selection page: summary + the 'waiting' tab, as handlers/selection.py renders it
    programs = [p for p, n in seeded.program_certified.items() if n]
    largest_program, largest_pool = seeded.program_certified.most_common(1)[0]

    async def selection_page(program_id: int) -> None:
        actor = staff(seeded.program_agency[program_id])
        await selection.program_summary(ctx, actor, program_id)
        await selection.pool(ctx, actor, program_id, "waiting")

    await selection_page(programs[0])
    _page_figure(
        "selection_page",
        await timed(runs, lambda _: selection_page(rng.choice(programs))),
        f"selection.program_summary + selection.pool('waiting'), random program; median pool "
        f"{percentile(list(seeded.program_certified.values()), 50):.0f}",
        db_label,
    )
    _page_figure(
        "selection_page_largest",
        await timed(runs, lambda _: selection_page(largest_program)),
        f"the largest waiting list ({largest_pool} applicants); pool() loads the whole tab, "
        f"the handler shows {selection.PAGE_SIZE} per page",
        db_label,
    )

    await weekly(ctx, scale, db_label)
    await export(ctx, seeded, db_label)
    figure(
        GROUP,
        f"{db_label}.bench_peak_rss",
        peak_rss_mb(),
        "MiB",
        notes=(
            f"ru_maxrss of the bench process, seeding included ({rss_before:.0f} MiB after "
            "imports, before seeding); in production these services run in the bot process"
        ),
    )


async def weekly(ctx: AppContext, scale: Scale, db_label: str) -> None:
    today = ctx.today()
    week_start = today - timedelta(days=today.weekday())
    real = _feature("bot.services.reports", "weekly_figures", "agency_week", "weekly_report")
    if real is not None:
        call: Callable[[int], Awaitable[Any]] = lambda aid: real(ctx, aid, week_start)  # noqa: E731
        source = f"bot.services.reports.{real.__name__}"
    else:
        call = lambda aid: weekly_figures_equivalent(ctx, aid, week_start)  # noqa: E731
        source = (
            "STAND-IN: bot/services/reports.py is not in the tree yet; 7 aggregate queries per "
            "agency (bench/data.py weekly_figures_equivalent)"
        )
    started = time.perf_counter()
    for agency_id in range(1, scale.agencies + 1):
        await call(agency_id)
    elapsed = time.perf_counter() - started
    why = ""
    if elapsed >= WEEKLY_TARGET_S:
        why = (
            f"; over target: {elapsed / scale.agencies * 1000:.0f} ms per agency, one round of "
            "queries per agency; the same queries grouped by agency in one pass: see "
            "weekly_all_agencies_batched"
        )
    figure(
        GROUP,
        f"{db_label}.weekly_all_agencies",
        elapsed,
        "s",
        below=WEEKLY_TARGET_S,
        notes=f"{scale.agencies} agencies one after another; {source}{why}",
    )
    started = time.perf_counter()
    await weekly_figures_equivalent(ctx, None, week_start)
    figure(
        GROUP,
        f"{db_label}.weekly_all_agencies_batched",
        time.perf_counter() - started,
        "s",
        below=WEEKLY_TARGET_S,
        notes="the stand-in's 7 queries once, grouped by agency (all agencies in one pass)",
    )


async def export(ctx: AppContext, seeded: Seeded, db_label: str) -> None:
    agency_id, apps = seeded.agency_applications.most_common(1)[0]
    real = _feature("bot.services.exports", "export_agency", "agency_xlsx", "build_export")
    if real is not None:
        call: Callable[[], Awaitable[Any]] = lambda: real(ctx, staff(agency_id))  # noqa: E731
        source = f"bot.services.exports.{real.__name__}"
    else:
        call = lambda: export_equivalent(ctx, agency_id)  # noqa: E731
        source = (
            "STAND-IN: bot/services/exports.py is not in the tree yet; one joined query + "
            "openpyxl (bench/data.py export_equivalent)"
        )
    durations = []
    size = 0
    for _ in range(3):
        started = time.perf_counter()
        result = await call()
        durations.append(time.perf_counter() - started)
        size = len(result) if isinstance(result, bytes | bytearray) else size
    figure(
        GROUP,
        f"{db_label}.agency_export",
        max(durations),
        "s",
        below=EXPORT_TARGET_S,
        notes=(
            f"xlsx of the agency with the most applications ({apps}); worst of 3 "
            f"(best {min(durations):.2f} s){f', {size // 1024} KiB' if size else ''}; {source}"
        ),
    )
