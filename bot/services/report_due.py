"""Reports that fall due, sent to the agency with the report attached (through the outbox).

- **일경험 프로그램 실시보고** is due when a program's roster is confirmed (확정통보);
- **결과보고** is due after a program ends (the day after its last day).

The daily job looks back ``WINDOW`` days, so a day the bot was down is caught up, and writes each
reminder once (dedupe keys ``report-due:<kind>:<program>:<recipient>``): the xlsx with the
reminder as its caption and a button to /reports, then the one-page PDF.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.services import outbox, report_service
from bot.services.context import AppContext
from bot.services.report_files import ReportFile
from bot.storage.models import OutboxMessage, Program, StoredFile
from bot.storage.queries import reports as q
from bot.storage.queries import reports_data as rd

WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class Due:
    kind: str  # program | result
    program_id: int
    agency_id: int
    program: str
    on: date  # roster confirmed / program ended


async def due_reports(session: AsyncSession, ctx: AppContext) -> list[Due]:
    today, now = ctx.today(), ctx.now()
    reported = Program.status.in_(rd.REPORTED_STATUSES)
    found: list[Due] = []
    for pid, aid, name, locked in await session.execute(
        select(Program.id, Program.agency_id, Program.name, Program.roster_locked_at)
        .where(reported, Program.roster_locked_at >= now - WINDOW)
        .order_by(Program.id)
    ):
        found.append(Due("program", pid, aid, name, locked.astimezone(ctx.settings.tz).date()))
    for pid, aid, name, end in await session.execute(
        select(Program.id, Program.agency_id, Program.name, Program.period_end)
        .where(reported, Program.period_end < today, Program.period_end >= today - WINDOW)
        .order_by(Program.id)
    ):
        found.append(Due("result", pid, aid, name, end))
    return found


async def _store(session: AsyncSession, file: ReportFile) -> int:
    row = StoredFile(
        kind="report", file_name=file.file_name, mime_type=file.mime_type, size=len(file.content),
        sha256=hashlib.sha256(file.content).hexdigest(), content=file.content,
    )  # fmt: skip
    session.add(row)
    await session.flush()
    return row.id


async def send_report_reminders(ctx: AppContext, translator: Translator, when: datetime) -> int:
    """Daily: every report that fell due goes to the agency's staff once. Returns rows written."""
    t = translator.bind("ko")
    async with ctx.db.session() as session:
        due = await due_reports(session, ctx)
        staff = await q.all_agency_staff(session)
        sent = set(
            (
                await session.scalars(
                    select(OutboxMessage.dedupe_key).where(
                        OutboxMessage.dedupe_key.like("report-due:%")
                    )
                )
            ).all()
        )
        names = await rd.agency_names(session)
    written = 0
    for item in due:
        members = staff.get(item.agency_id, [])
        members = [m for m in members if not m.is_head] or members
        todo = [m for m in members if _key(item, m.telegram_id) not in sent]
        if not todo:
            continue
        async with ctx.db.session() as session:
            scope = rd.Scope(item.agency_id, item.program_id)
            doc = await report_service.build(session, ctx, t, item.kind, scope, "week")
        bundle = await report_service.render(t, doc)
        async with ctx.db.session() as session:
            xlsx, pdf = [await _store(session, f) for f in bundle.files]
            for member in todo:
                written += await _enqueue(
                    session, item, member.telegram_id, (xlsx, pdf), names,
                    t(f"rpt.kind.{item.kind}"),
                )  # fmt: skip
    return written


def _key(item: Due, chat_id: int) -> str:
    return f"report-due:{item.kind}:{item.program_id}:{chat_id}"


async def _enqueue(
    session: AsyncSession, item: Due, chat_id: int, files: tuple[int, int],
    names: dict[int, str], kind_name: str,
) -> int:  # fmt: skip
    xlsx, pdf = files
    params = {
        "agency": names.get(item.agency_id, str(item.agency_id)),
        "program": item.program,
        "date": item.on.isoformat(),
    }
    button = {"key": "reports.due.open_button", "cb": "rpt",
              "args": {"act": "menu", "agency": item.agency_id}}  # fmt: skip
    written = await outbox.enqueue(
        session, chat_id, "report.due", f"reports.due.{item.kind}", params=params, file_id=xlsx,
        buttons=[[button]], dedupe_key=_key(item, chat_id), entity="program",
        entity_id=item.program_id,
    )  # fmt: skip
    await outbox.enqueue(
        session, chat_id, "report.due_pdf", "reports.due.pdf",
        params={"kind": kind_name, "program": item.program}, file_id=pdf,
        dedupe_key=f"report-due-pdf:{item.kind}:{item.program_id}:{chat_id}", entity="program",
        entity_id=item.program_id,
    )  # fmt: skip
    return int(written)
