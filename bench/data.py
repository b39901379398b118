"""Group 3 — data scale: the staff pages, the weekly report and an export on a national-size year.

The database is seeded by ``bench.seed`` (500 agencies, 50,000 participants); then the functions
the features call are timed: the review inbox (``bot.services.review.inbox``), the selection page
(``selection.program_summary`` + ``selection.pool``, as ``handlers/selection.py`` renders it), the
weekly-report figures of all agencies (``reports.build_reports``, as the Monday job builds them),
a sample of its charts, the Monday job end to end with people chatting meanwhile, the four
reports for one agency and for all, and one agency's xlsx export (``exports.export_data``).
"""

from __future__ import annotations

import asyncio
import random
import resource
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.i18n import Translator
from bot.runtime import open_context
from bot.services import charts, exports, reports, reports_text, review, selection
from bot.services.context import AppContext
from bot.services.identity import Actor, Role
from bot.storage.queries import reports as rq

from .data_reports import report_benches
from .fanout import settings_for
from .report import figure, percentile
from .seed import STAFF_TID, Scale, Seeded, seed

GROUP = "data"
PAGE_TARGET_MS = 50.0
WEEKLY_TARGET_S = 5.0
EXPORT_TARGET_S = 2.0
MONDAY_TARGET_S = 60.0
CHART_SAMPLE = 20


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

    await weekly(ctx, db_label, seeded)
    await report_benches(ctx, seeded, db_label)
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


async def weekly(ctx: AppContext, db_label: str, seeded: Seeded) -> None:
    """The Monday reminder's figures for every agency (``reports.build_reports``: one pass over
    all agencies), a sample of its charts, then the whole job with people chatting meanwhile."""
    week = reports.week_of(ctx.today())
    async with ctx.db.session() as session:
        agencies = await rq.active_agencies(session)
    started = time.perf_counter()
    async with ctx.db.session() as session:
        built = await reports.build_reports(session, ctx, agencies, week)
    elapsed = time.perf_counter() - started
    figure(
        GROUP,
        f"{db_label}.weekly_all_agencies",
        elapsed,
        "s",
        below=WEEKLY_TARGET_S,
        notes=(
            f"reports.build_reports for {len(agencies)} agencies at once (set-based: 9 "
            f"statements whatever the agency count)"
        ),
    )
    t = Translator().bind("ko")
    sample = list(built.values())[:CHART_SAMPLE]
    started, cpu = time.perf_counter(), time.process_time()
    for report in sample:
        charts.draw(reports_text.chart(t, report))
    per_chart = (time.perf_counter() - started) / max(len(sample), 1)
    per_cpu = (time.process_time() - cpu) / max(len(sample), 1)
    figure(
        GROUP,
        f"{db_label}.weekly_chart_per_agency",
        per_chart * 1000,
        "ms",
        notes=(
            f"charts.draw on {len(sample)} agencies, in this process (the job uses a worker): "
            f"{per_cpu * 1000:.0f} ms CPU each (the steady figure on a busy machine)"
        ),
    )
    await monday_job(ctx, db_label, seeded, len(agencies))


async def monday_job(ctx: AppContext, db_label: str, seeded: Seeded, agencies: int) -> None:
    """``send_weekly_reminders`` end to end (figures, charts in the worker, outbox rows) while
    staff keep opening their inbox (``review.inbox``) every 50 ms: the job's time and the
    replies' latency."""
    agency_ids = [a for a, n in seeded.agency_submitted.items() if n]
    rng = random.Random(5)
    latencies: list[float] = []
    done = asyncio.Event()

    async def chatting() -> None:
        while not done.is_set():
            started = time.perf_counter()
            await review.inbox(ctx, staff(rng.choice(agency_ids)), 0)
            latencies.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.05)

    chatter = asyncio.create_task(chatting())
    started = time.perf_counter()
    try:
        written = await reports.send_weekly_reminders(ctx, Translator(), ctx.now())
    finally:
        elapsed = time.perf_counter() - started
        done.set()
        await chatter
    figure(
        GROUP,
        f"{db_label}.monday_job",
        elapsed,
        "s",
        below=MONDAY_TARGET_S,
        notes=f"send_weekly_reminders for {agencies} agencies: {written} reminders + charts",
    )
    figure(
        GROUP,
        f"{db_label}.reply_p99_during_monday_job",
        percentile(latencies, 99),
        "ms",
        below=PAGE_TARGET_MS * 5,
        notes=(
            f"review.inbox every 50 ms while the job runs: p50 {percentile(latencies, 50):.1f} ms,"
            f" max {max(latencies):.1f} ms, n={len(latencies)}"
        ),
    )


async def export(ctx: AppContext, seeded: Seeded, db_label: str) -> None:
    """``exports.export_data``: staff of the agency with the most applications, every sheet."""
    agency_id, apps = seeded.agency_applications.most_common(1)[0]
    t = Translator().bind("ko")
    durations = []
    result = None
    for _ in range(3):
        started = time.perf_counter()
        result = await exports.export_data(ctx, staff(agency_id), t, agency_id=None, fmt="xlsx")
        durations.append(time.perf_counter() - started)
    size = f", {len(result.content) // 1024} KiB, {result.rows} rows" if result else ""
    figure(
        GROUP,
        f"{db_label}.agency_export",
        max(durations),
        "s",
        below=EXPORT_TARGET_S,
        notes=(
            f"exports.export_data(xlsx, all sheets) for the agency with the most applications "
            f"({apps}); worst of 3 (best {min(durations):.2f} s){size}"
        ),
    )
