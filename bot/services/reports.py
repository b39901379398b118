"""Weekly reporting (주간보고): the Monday reminder, the Wednesday escalation, "점검 완료".

Agencies must check all their data before entering the weekly report. On Monday every agency's
staff get the week's figures per program, the data that needs a look and a chart, with a
"점검 완료" button; pressing it records who checked and when (``WeeklyCheck``). Still unchecked on
Wednesday → a second reminder, with a copy to the agency head.

Every message has a dedupe key ``weekly…:<week>:<agency>:<recipient>``: a job that runs twice, or
on two instances at once, writes each row once. The text is rendered here in the recipient's
language as plain text (the sender escapes it), so names with ``<`` or ``&`` stay harmless.

Codes raised: ``access.agency`` — checking another agency's week (audited);
``access.denied`` — only staff of the agency check its data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Raw, Texts, Translator
from bot.services import audit, outbox
from bot.services.charts import FunnelRow, funnel_png
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.storage.models import Agency, OutboxMessage, StaffAccount, StoredFile, User, WeeklyCheck
from bot.storage.queries import reports as q
from bot.storage.upsert import insert_for

CHECK_BUTTON_PREFIX = "wkchk"  # bot.keyboards.reports.WeeklyCheckCB
SHOW = 5  # items shown per attention category
MAX_BODY = 3300  # the rest of the message needs room too (4096 at most)


def week_of(day: date) -> date:
    """The Monday of ``day``'s week: the key of a weekly report."""
    return day - timedelta(days=day.weekday())


def plain(t: Texts, key: str, **params: Any) -> str:
    """A catalogue line as plain text (not escaped here: the whole body is escaped once later)."""
    return t(key, **{k: Raw(v) if isinstance(v, str) else v for k, v in params.items()})


async def languages(session: AsyncSession, ids: list[int]) -> dict[int, str]:
    rows = await session.execute(
        select(User.telegram_id, User.language).where(User.telegram_id.in_(ids))
    )
    return {tid: lang or "ko" for tid, lang in rows.all()}


# --- the report --------------------------------------------------------------------------


@dataclass(frozen=True)
class WeeklyReport:
    agency: Agency
    week_start: date
    figures: list[q.ProgramFigures]
    attention: q.Attention


async def build_report(
    session: AsyncSession, ctx: AppContext, agency: Agency, week_start: date
) -> WeeklyReport:
    now = ctx.now()
    figures = await q.program_figures(session, agency.id, ctx.today(), now - timedelta(days=7))
    found = await q.attention(session, agency.id, now, ctx.today())
    return WeeklyReport(agency, week_start, figures, found)


def render_body(t: Texts, report: WeeklyReport) -> str:
    lines = [plain(t, "weekly.line.programs_title")]
    if not report.figures:
        lines.append(plain(t, "weekly.line.no_programs"))
    budget = MAX_BODY // 2
    for index, fig in enumerate(report.figures):
        block = _program_block(t, fig)
        if sum(len(x) + 1 for x in lines) + len(block) > budget:
            left = len(report.figures) - index
            lines.append(plain(t, "weekly.line.more_programs", n=left))
            break
        lines.append(block)
    lines += ["", plain(t, "weekly.line.attention_title")]
    lines += _attention_lines(t, report.attention)
    body = "\n".join(lines)
    if len(body) > MAX_BODY:
        body = body[: MAX_BODY - 1].rsplit("\n", 1)[0] + "\n…"
    return body


def _program_block(t: Texts, fig: q.ProgramFigures) -> str:
    s = fig.states
    recruitment = str(fig.total_recruitment) if fig.total_recruitment else "-"
    return "\n".join(
        [
            plain(t, "weekly.line.program", name=fig.name, type=t(f"report.ptype.{fig.type}")),
            plain(
                t,
                "weekly.line.applications",
                applied=fig.applied,
                submitted=s["submitted"],
                held=s["held"],
                returned=s["returned"],
                withdrawn=s["withdrawn"],
                new=fig.new_this_week,
            ),
            plain(
                t,
                "weekly.line.selection",
                selected=fig.selected,
                recruitment=recruitment,
                waiting=s["certified"],
                not_selected=s["not_selected"],
            ),
            plain(
                t,
                "weekly.line.progress",
                completed=fig.completed,
                dropped=s["dropped"],
                surveys=fig.surveys,
                certificates=fig.certificates,
                cert_requested=fig.certificates_requested,
            ),
        ]
    )


def _attention_lines(t: Texts, found: q.Attention) -> list[str]:
    if found.empty:
        return [plain(t, "weekly.line.attention_none")]
    lines: list[str] = []

    def more(items: list[Any]) -> None:
        if len(items) > SHOW:
            lines.append(plain(t, "weekly.line.more_items", n=len(items) - SHOW))

    for key, late in (("waiting", found.waiting), ("held", found.held)):
        if late:
            lines.append(plain(t, f"weekly.line.{key}", n=len(late)))
            for item in late[:SHOW]:
                lines.append(
                    plain(
                        t,
                        "weekly.line.late_item",
                        id=item.application_id,
                        name=item.name,
                        program=item.program,
                        days=item.days,
                    )
                )
            more(late)
    if found.missing:
        lines.append(plain(t, "weekly.line.missing", n=len(found.missing)))
        for gap in found.missing[:SHOW]:
            fields = ", ".join(t(f"report.field.{name}") for name in gap.fields)
            lines.append(
                plain(
                    t, f"weekly.line.missing_{gap.what}", id=gap.ref, name=gap.label, fields=fields
                )
            )
        more(found.missing)
    if found.headcounts:
        lines.append(plain(t, "weekly.line.headcount", n=len(found.headcounts)))
        for mismatch in found.headcounts[:SHOW]:
            lines.append(
                plain(
                    t,
                    f"weekly.line.headcount_{mismatch.kind}",
                    program=mismatch.program,
                    total=mismatch.total,
                    counted=mismatch.counted,
                )
            )
        more(found.headcounts)
    return lines


def funnel_rows(figures: list[q.ProgramFigures]) -> list[FunnelRow]:
    return [FunnelRow(f.name, (f.applied, f.certified, f.selected, f.completed)) for f in figures]


def chart_png(t: Texts, report: WeeklyReport) -> bytes:
    stages = tuple(
        t(f"weekly.stage.{s}") for s in ("applied", "certified", "selected", "completed")
    )
    return funnel_png(
        t(
            "weekly.chart_title",
            agency=q.agency_label(report.agency),
            week=report.week_start.isoformat(),
        ),
        stages,  # type: ignore[arg-type]
        funnel_rows(report.figures),
        t("weekly.line.no_programs"),
    )


# --- sending ------------------------------------------------------------------------------


def _check_button(agency_id: int, week: date) -> list[list[dict[str, Any]]]:
    return [
        [
            {
                "key": "weekly.check_button",
                "cb": CHECK_BUTTON_PREFIX,
                "args": {"agency_id": agency_id, "week": week.isoformat()},
            }
        ]
    ]


async def _existing_keys(session: AsyncSession, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    rows = await session.scalars(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))
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


async def send_weekly_reminders(ctx: AppContext, translator: Translator, when: datetime) -> int:
    """Monday: every agency's staff get figures, a chart and the 점검 완료 button.

    Returns the number of reminders written (0 when they were all written before).
    """
    week = week_of(when.astimezone(ctx.settings.tz).date())
    written = 0
    async with ctx.db.session() as session:
        agencies = await q.active_agencies(session)
    for agency in agencies:
        async with ctx.db.session() as session:
            written += await _remind_agency(session, ctx, translator, agency, week)
    return written


async def _remind_agency(
    session: AsyncSession, ctx: AppContext, translator: Translator, agency: Agency, week: date
) -> int:
    staff = await q.agency_staff(session, agency.id)
    recipients = [m for m in staff if not m.is_head] or staff
    if not recipients:
        return 0
    key = f"{week.isoformat()}:{agency.id}"
    done = await _existing_keys(session, [f"weekly:{key}:{m.telegram_id}" for m in recipients])
    todo = [m for m in recipients if f"weekly:{key}:{m.telegram_id}" not in done]
    if not todo:
        return 0
    report = await build_report(session, ctx, agency, week)
    langs = await languages(session, [m.telegram_id for m in todo])
    charts: dict[str, int] = {}
    written = 0
    for member in todo:
        lang = langs.get(member.telegram_id, "ko")
        t = translator.bind(lang)
        if lang not in charts:
            charts[lang] = await _store_chart(session, chart_png(t, report), agency.id, week)
        params = {"agency": q.agency_label(agency), "week": week.isoformat()}
        await outbox.enqueue(
            session,
            member.telegram_id,
            "weekly.chart",
            "weekly.chart_caption",
            params=params,
            file_id=charts[lang],
            photo=True,
            dedupe_key=f"weekly-chart:{key}:{member.telegram_id}",
            entity="agency",
            entity_id=agency.id,
        )
        written += await outbox.enqueue(
            session,
            member.telegram_id,
            "weekly.reminder",
            "weekly.reminder",
            params={**params, "body": render_body(t, report)},
            buttons=_check_button(agency.id, week),
            dedupe_key=f"weekly:{key}:{member.telegram_id}",
            entity="agency",
            entity_id=agency.id,
        )
    return written


async def send_escalations(ctx: AppContext, translator: Translator, when: datetime) -> int:
    """Wednesday: agencies whose week is not checked yet — staff again, and a copy to the head."""
    week = week_of(when.astimezone(ctx.settings.tz).date())
    written = 0
    async with ctx.db.session() as session:
        agencies = await q.active_agencies(session)
    for agency in agencies:
        async with ctx.db.session() as session:
            if await _checked(session, agency.id, week) is not None:
                continue
            written += await _escalate_agency(session, ctx, translator, agency, week)
    return written


async def _escalate_agency(
    session: AsyncSession, ctx: AppContext, translator: Translator, agency: Agency, week: date
) -> int:
    staff = await q.agency_staff(session, agency.id)
    if not staff:
        return 0
    report = await build_report(session, ctx, agency, week)
    langs = await languages(session, [m.telegram_id for m in staff])
    workers = ", ".join(m.name for m in staff if not m.is_head)
    key = f"{week.isoformat()}:{agency.id}"
    written = 0
    for member in staff:
        t = translator.bind(langs.get(member.telegram_id, "ko"))
        # the head gets the "copy" wording when someone else was reminded on Monday
        text_key = "weekly.escalation_head" if member.is_head and workers else "weekly.escalation"
        written += await outbox.enqueue(
            session,
            member.telegram_id,
            text_key,
            text_key,
            params={
                "agency": q.agency_label(agency),
                "week": week.isoformat(),
                "staff": workers,
                "body": render_body(t, report),
            },
            buttons=_check_button(agency.id, week),
            dedupe_key=f"weekly-esc:{key}:{member.telegram_id}",
            entity="agency",
            entity_id=agency.id,
        )
    return written


# --- 점검 완료 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    agency: str
    week_start: date
    checked_by: str
    checked_at: datetime
    already: bool


async def _checked(session: AsyncSession, agency_id: int, week: date) -> WeeklyCheck | None:
    return await session.scalar(
        select(WeeklyCheck).where(
            WeeklyCheck.agency_id == agency_id,
            WeeklyCheck.week_start == week,
            WeeklyCheck.checked_at.is_not(None),
        )
    )


async def _staff_name(session: AsyncSession, agency_id: int, telegram_id: int | None) -> str:
    name = await session.scalar(
        select(StaffAccount.name)
        .where(StaffAccount.agency_id == agency_id, StaffAccount.telegram_id == telegram_id)
        .order_by(StaffAccount.id.desc())
    )
    return name or str(telegram_id or "-")


async def mark_week_checked(
    ctx: AppContext, actor: Actor, agency_id: int, week: date
) -> CheckResult:
    """Record that ``actor`` checked the agency's data for the week (once; a second press tells
    who checked first)."""
    if not actor.is_staff:
        await audit.refuse(
            ctx,
            actor,
            "weekly.check",
            "weekly_check",
            f"{agency_id}:{week}",
            code="access.denied",
            agency_id=agency_id,
        )
    if actor.agency_id != agency_id:
        await audit.refuse(
            ctx,
            actor,
            "weekly.check",
            "weekly_check",
            f"{agency_id}:{week}",
            code="access.agency",
            agency_id=agency_id,
        )
    week = week_of(week)
    async with ctx.db.session() as session:
        agency = await session.get(Agency, agency_id)
        label = q.agency_label(agency) if agency else str(agency_id)
        # two people pressing at once: the row exists first, then the first lock holder wins
        await session.execute(
            insert_for(session, WeeklyCheck)
            .values(agency_id=agency_id, week_start=week, created_at=ctx.now())
            .on_conflict_do_nothing(index_elements=["agency_id", "week_start"])
        )
        row = await session.scalar(
            select(WeeklyCheck)
            .where(WeeklyCheck.agency_id == agency_id, WeeklyCheck.week_start == week)
            .with_for_update()
        )
        assert row is not None
        if row.checked_at is not None:
            name = await _staff_name(session, agency_id, row.checked_by)
            return CheckResult(label, week, name, row.checked_at, already=True)
        row.checked_by = actor.telegram_id
        row.checked_at = ctx.now()
        audit.record(
            session,
            actor,
            "weekly.check",
            "weekly_check",
            f"{agency_id}:{week.isoformat()}",
            after={"week": week.isoformat(), "checked_at": row.checked_at.isoformat()},
        )
        name = await _staff_name(session, agency_id, actor.telegram_id)
    return CheckResult(label, week, name, row.checked_at, already=False)
