"""Group 3, reports: each of the four reports for one agency and for all agencies, as the chat
builds them (``report_service.make_report``: figures, chart, xlsx and PDF), the dashboard and
the national xlsx — on the world ``bench.data`` seeded."""

from __future__ import annotations

import time

from bot.i18n import Translator
from bot.services import dashboard, report_service
from bot.services.context import AppContext
from bot.services.identity import Actor, Role

from .report import figure
from .seed import Seeded

GROUP = "data"
REPORT_TARGET_S = 5.0
CENTER = Actor(3001, Role.CENTER, "ko")


async def report_benches(ctx: AppContext, seeded: Seeded, db_label: str) -> None:
    t = Translator().bind("ko")
    agency_id, apps = seeded.agency_applications.most_common(1)[0]
    for kind in report_service.KINDS:
        for scope, label in ((agency_id, "one_agency"), (None, "all_agencies")):
            started = time.perf_counter()
            bundle = await report_service.make_report(ctx, CENTER, t, kind, scope, "week")
            elapsed = time.perf_counter() - started
            rows = sum(len(s.rows) for s in bundle.doc.sheets)
            figure(
                GROUP,
                f"{db_label}.report_{kind}_{label}",
                elapsed,
                "s",
                below=REPORT_TARGET_S,
                notes=(
                    f"make_report({kind}) for "
                    + (f"the largest agency ({apps} applications)" if scope else "all agencies")
                    + f": figures, chart, xlsx ({len(bundle.files[0].content) // 1024} KiB, "
                    f"{rows} rows) and PDF ({len(bundle.files[1].content) // 1024} KiB)"
                ),
            )
    started = time.perf_counter()
    board = await dashboard.dashboard(ctx, CENTER, t)
    elapsed = time.perf_counter() - started
    figure(
        GROUP,
        f"{db_label}.dashboard",
        elapsed,
        "s",
        below=REPORT_TARGET_S,
        notes=f"dashboard.dashboard: {board.programs} programs, {len(board.attention)} "
        "agencies needing attention",
    )
    started = time.perf_counter()
    _, rows = await dashboard.national_xlsx(ctx, CENTER, t)
    figure(
        GROUP,
        f"{db_label}.national_xlsx",
        time.perf_counter() - started,
        "s",
        below=REPORT_TARGET_S,
        notes=f"dashboard.national_xlsx: one row per agency and program ({rows} rows)",
    )
