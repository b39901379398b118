"""Weekly reporting (주간보고): the Monday reminder, the Wednesday escalation, "점검 완료".

Agencies must check all their data before entering the weekly report. On Monday every agency's
staff get the week's figures per program, the data that needs a look and a chart, with a
"점검 완료" button; pressing it records who checked and when (``WeeklyCheck``). Still unchecked on
Wednesday → a second reminder, with a copy to the agency head.

At national scale the job reads everything for all agencies at once (a fixed number of
statements: ``queries.reports_weekly.weekly_data``), draws the charts in a worker process
(``charts.render``) and writes the outbox rows in chunks of agencies, one transaction each.

Every message has a dedupe key ``weekly…:<week>:<agency>:<recipient>``: a job that runs twice, or
on two instances at once, writes each row once. The text is rendered here in the recipient's
language as plain text (the sender escapes it), so names with ``<`` or ``&`` stay harmless.

Codes raised: ``access.agency`` — checking another agency's week (audited);
``access.denied`` — only staff of the agency check its data.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.services import charts, outbox
from bot.services.context import AppContext
from bot.services.reports_check import CheckResult, mark_week_checked
from bot.services.reports_text import WeeklyReport, chart, plain, render_body, week_of
from bot.storage.models import Agency, OutboxMessage, StoredFile, User, WeeklyCheck
from bot.storage.queries import reports as q
from bot.storage.queries.reports_weekly import weekly_data

__all__ = [
    "CHECK_BUTTON_PREFIX", "CheckResult", "languages", "mark_week_checked", "plain", "week_of",
]  # fmt: skip

CHECK_BUTTON_PREFIX = "wkchk"  # bot.keyboards.reports.WeeklyCheckCB
CHUNK = charts.BATCH  # agencies per transaction (and per call into the chart worker)


async def languages(session: AsyncSession, ids: Sequence[int]) -> dict[int, str]:
    rows = await session.execute(
        select(User.telegram_id, User.language).where(User.telegram_id.in_(list(ids)))
    )
    return {tid: lang or "ko" for tid, lang in rows.all()}


async def build_report(
    session: AsyncSession, ctx: AppContext, agency: Agency, week_start: date
) -> WeeklyReport:
    data = await weekly_data(session, ctx.today(), ctx.now(), agency.id)
    return WeeklyReport(
        agency, week_start, data.figures_of(agency.id), data.attention_of(agency.id)
    )


async def build_reports(
    session: AsyncSession, ctx: AppContext, agencies: Sequence[Agency], week_start: date
) -> dict[int, WeeklyReport]:
    """Every agency's weekly report from one pass over the data (statements do not grow)."""
    data = await weekly_data(session, ctx.today(), ctx.now())
    return {
        a.id: WeeklyReport(a, week_start, data.figures_of(a.id), data.attention_of(a.id))
        for a in agencies
    }


# --- sending ------------------------------------------------------------------------------


def _check_button(agency_id: int, week: date) -> list[list[dict[str, object]]]:
    return [
        [
            {
                "key": "weekly.check_button",
                "cb": CHECK_BUTTON_PREFIX,
                "args": {"agency_id": agency_id, "week": week.isoformat()},
            }
        ]
    ]


async def _existing_keys(session: AsyncSession, prefix: str) -> set[str]:
    rows = await session.scalars(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.like(f"{prefix}%"))
    )
    return {k for k in rows.all() if k}


async def _store_chart(session: AsyncSession, png: bytes, agency_id: int, week: date) -> int:
    file = StoredFile(
        kind="weekly_chart",
        file_name=f"weekly_{agency_id}_{week.isoformat()}.png",
        mime_type="image/png",
        size=len(png),
        sha256=hashlib.sha256(png).hexdigest(),
        content=png,
    )
    session.add(file)
    await session.flush()
    return file.id


@dataclass
class _Plan:
    """Who still needs the reminder, per agency, with the picture per language."""

    todo: dict[int, list[q.StaffMember]]
    reports: dict[int, WeeklyReport]
    langs: dict[int, str]


async def _plan(ctx: AppContext, week: date, *, escalation: bool) -> _Plan:
    prefix = "weekly-esc" if escalation else "weekly"
    async with ctx.db.session() as session:
        agencies = {a.id: a for a in await q.active_agencies(session)}
        staff = await q.all_agency_staff(session)
        key = week.isoformat()
        done = await _existing_keys(session, f"{prefix}:{key}:")
        checked: set[int] = set()
        if escalation:
            checked = set(
                (
                    await session.scalars(
                        select(WeeklyCheck.agency_id).where(
                            WeeklyCheck.week_start == week, WeeklyCheck.checked_at.is_not(None)
                        )
                    )
                ).all()
            )
        todo: dict[int, list[q.StaffMember]] = {}
        for aid in agencies:
            members = staff.get(aid, [])
            if not escalation:
                members = [m for m in members if not m.is_head] or members
            members = [
                m
                for m in members
                if f"{prefix}:{week.isoformat()}:{aid}:{m.telegram_id}" not in done
            ]
            if members and aid not in checked:
                todo[aid] = members
        if not todo:
            return _Plan({}, {}, {})
        reports = await build_reports(session, ctx, [agencies[a] for a in todo], week)
        ids = [m.telegram_id for members in todo.values() for m in members]
        langs = await languages(session, ids)
    return _Plan(todo, reports, langs)


async def send_weekly_reminders(ctx: AppContext, translator: Translator, when: datetime) -> int:
    """Monday: every agency's staff get figures, a chart and the 점검 완료 button.

    Returns the number of reminders written (0 when they were all written before).
    """
    week = week_of(when.astimezone(ctx.settings.tz).date())
    plan = await _plan(ctx, week, escalation=False)
    agency_ids = list(plan.todo)
    chunks = [agency_ids[i : i + CHUNK] for i in range(0, len(agency_ids), CHUNK)]

    def pictures(chunk: list[int]) -> list[tuple[int, str]]:
        return [
            (aid, lang)
            for aid in chunk
            for lang in sorted({plan.langs.get(m.telegram_id, "ko") for m in plan.todo[aid]})
        ]

    # every chunk's charts are queued at once: the worker draws chunk n + 1 while chunk n's rows
    # are written here
    drawing = [
        asyncio.ensure_future(
            charts.render([chart(translator.bind(lang), plan.reports[aid]) for aid, lang in want])
        )
        for want in map(pictures, chunks)
    ]
    written = 0
    try:
        for chunk, task in zip(chunks, drawing, strict=True):
            png = dict(zip(pictures(chunk), await task, strict=True))
            async with ctx.db.session() as session:
                for aid in chunk:
                    written += await _remind_agency(session, translator, plan, aid, week, png)
    finally:
        for task in drawing:
            task.cancel()
    return written


async def _remind_agency(
    session: AsyncSession,
    translator: Translator,
    plan: _Plan,
    aid: int,
    week: date,
    png: dict[tuple[int, str], bytes],
) -> int:
    report = plan.reports[aid]
    key = f"{week.isoformat()}:{aid}"
    files: dict[str, int] = {}
    written = 0
    for member in plan.todo[aid]:
        lang = plan.langs.get(member.telegram_id, "ko")
        t = translator.bind(lang)
        if lang not in files:
            files[lang] = await _store_chart(session, png[(aid, lang)], aid, week)
        params = {"agency": q.agency_label(report.agency), "week": week.isoformat()}
        await outbox.enqueue(
            session,
            member.telegram_id,
            "weekly.chart",
            "weekly.chart_caption",
            params=params,
            file_id=files[lang],
            photo=True,
            dedupe_key=f"weekly-chart:{key}:{member.telegram_id}",
            entity="agency",
            entity_id=aid,
        )
        written += await outbox.enqueue(
            session,
            member.telegram_id,
            "weekly.reminder",
            "weekly.reminder",
            params={**params, "body": render_body(t, report)},
            buttons=_check_button(aid, week),
            dedupe_key=f"weekly:{key}:{member.telegram_id}",
            entity="agency",
            entity_id=aid,
        )
    return written


async def send_escalations(ctx: AppContext, translator: Translator, when: datetime) -> int:
    """Wednesday: agencies whose week is not checked yet — staff again, and a copy to the head."""
    week = week_of(when.astimezone(ctx.settings.tz).date())
    plan = await _plan(ctx, week, escalation=True)
    written = 0
    agency_ids = list(plan.todo)
    for start in range(0, len(agency_ids), CHUNK):
        async with ctx.db.session() as session:
            for aid in agency_ids[start : start + CHUNK]:
                written += await _escalate_agency(session, translator, plan, aid, week)
    return written


async def _escalate_agency(
    session: AsyncSession, translator: Translator, plan: _Plan, aid: int, week: date
) -> int:
    staff = plan.todo[aid]
    report = plan.reports[aid]
    workers = ", ".join(m.name for m in staff if not m.is_head)
    key = f"{week.isoformat()}:{aid}"
    written = 0
    for member in staff:
        t = translator.bind(plan.langs.get(member.telegram_id, "ko"))
        # the head gets the "copy" wording when someone else was reminded on Monday
        text_key = "weekly.escalation_head" if member.is_head and workers else "weekly.escalation"
        written += await outbox.enqueue(
            session,
            member.telegram_id,
            text_key,
            text_key,
            params={
                "agency": q.agency_label(report.agency),
                "week": week.isoformat(),
                "staff": workers,
                "body": render_body(t, report),
            },
            buttons=_check_button(aid, week),
            dedupe_key=f"weekly-esc:{key}:{member.telegram_id}",
            entity="agency",
            entity_id=aid,
        )
    return written
