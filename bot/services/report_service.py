"""Reports on request and their sign-off ("제출 준비 완료").

Staff get their own agency's reports; the support center one agency's or all agencies'. A
report is built from the data at the moment it is asked for; confirming it keeps a snapshot of
its figures (who, when, what: ``ReportSnapshot``, audited). The next report of the same kind and
scope shows what changed since that snapshot, and how many audited changes the data had since;
a report whose figures differ from its confirmed snapshot is itself audited
(``report.changed_after_confirm``, before → after), once per difference.

Codes raised: ``access.denied`` (participants), ``access.agency`` (staff, another agency;
audited), ``report.bad_choice`` (an unknown kind or period), ``report.unknown_agency``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import DomainError
from bot.i18n import Texts
from bot.services import audit, charts
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.report_build import program, training
from bot.services.report_files import (
    KINDS,
    ReportDoc,
    ReportFile,
    file_base,
    pdf_file,
    xlsx_file,
)
from bot.services.report_results import performance, result
from bot.storage.models import AuditLog, CenterOperator, ReportSnapshot, StaffAccount
from bot.storage.queries import reports_data as rd

PERIODS = ("week", "month")


@dataclass(frozen=True)
class Bundle:
    doc: ReportDoc
    chart_png: bytes
    files: list[ReportFile]  # xlsx, pdf


async def check_scope(ctx: AppContext, actor: Actor, agency_id: int | None) -> int | None:
    """The agency a caller may see: staff their own (another → refused, audited); the center any
    agency or all (None)."""
    return await audit.agency_scope(ctx, actor, agency_id, "report.view")


def period_of(kind: str, span: str, today: date) -> tuple[str, str, date]:
    """(snapshot key, kind of period, its first day) of a report made ``today``."""
    if kind != "performance":
        return today.isoformat(), "asof", today
    if span == "month":
        first = today.replace(day=1)
        return f"month {first:%Y-%m}", "month", first
    monday = today - timedelta(days=today.weekday())
    return f"week {monday.isoformat()}", "week", monday


async def build(
    session: AsyncSession, ctx: AppContext, t: Texts, kind: str, scope: rd.Scope, span: str
) -> ReportDoc:
    if kind not in KINDS or span not in PERIODS:
        raise DomainError("report.bad_choice")
    names = await rd.agency_names(session, scope.agency_id)
    if scope.agency_id is not None and scope.agency_id not in names:
        raise DomainError("report.unknown_agency")
    name = names[scope.agency_id] if scope.agency_id is not None else t("rpt.all_agencies")
    today = ctx.today()
    period, what, first = period_of(kind, span, today)
    when = t("rpt.generated", at=ctx.now().astimezone(ctx.settings.tz).strftime("%Y-%m-%d %H:%M"))
    span_text = {
        "asof": t("rpt.period.asof", date=today.isoformat()),
        "week": t("rpt.period.week", start=first.isoformat(), end=today.isoformat()),
        "month": t("rpt.period.month", month=f"{first:%Y-%m}"),
    }[what]
    subtitle = f"{span_text} · {when}"
    if kind == "training":
        return await training(session, t, scope, name, today, subtitle)
    if kind == "program":
        return await program(session, t, scope, name, today, subtitle)
    if kind == "result":
        return await result(session, t, scope, name, today, subtitle)
    since = datetime.combine(first, time(0), ctx.settings.tz)
    return await performance(session, t, scope, name, period, since, subtitle)


async def last_snapshot(
    session: AsyncSession, agency_id: int | None, kind: str
) -> ReportSnapshot | None:
    where = (
        ReportSnapshot.agency_id.is_(None)
        if agency_id is None
        else ReportSnapshot.agency_id == agency_id
    )
    found = await session.scalar(
        select(ReportSnapshot)
        .where(where, ReportSnapshot.kind == kind)
        .order_by(ReportSnapshot.confirmed_at.desc(), ReportSnapshot.id.desc())
        .limit(1)
    )
    return found


def differences(
    before: dict[str, object], after: dict[str, object]
) -> dict[str, tuple[object, object]]:
    return {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v and k in before}


async def compare(
    session: AsyncSession, ctx: AppContext, actor: Actor, t: Texts, doc: ReportDoc
) -> None:
    """Notes on ``doc``: the differences since the last confirmed snapshot, and the audited
    changes since; a difference is audited once (``report.changed_after_confirm``)."""
    snap = await last_snapshot(session, doc.scope.agency_id, doc.kind)
    if snap is None:
        doc.notes.append(t("rpt.first"))
        return
    at = snap.confirmed_at.astimezone(ctx.settings.tz).strftime("%Y-%m-%d %H:%M")
    diff = differences(snap.figures, dict(doc.figures))
    if not diff:
        doc.notes.append(t("rpt.diff_none", at=at, name=snap.confirmed_name))
    else:
        doc.notes.append(t("rpt.diff_title", at=at, name=snap.confirmed_name))
        for key, (old, new) in diff.items():
            doc.notes.append(t("rpt.diff_line", label=doc.labels[key], before=old, after=new))
        after = {k: new for k, (_, new) in diff.items()}
        seen = await session.scalars(
            select(AuditLog.after).where(
                AuditLog.action == "report.changed_after_confirm",
                AuditLog.entity == "report_snapshot",
                AuditLog.entity_id == str(snap.id),
            )
        )
        if after not in list(seen):
            audit.record(
                session, actor, "report.changed_after_confirm", "report_snapshot", snap.id,
                before={k: old for k, (old, _) in diff.items()}, after=after,
                agency_id=doc.scope.agency_id,
            )  # fmt: skip
    # audit rows after the sign-off's own (ids, not times: audit times are the wall clock)
    signed = select(func.min(AuditLog.id)).where(
        AuditLog.action == "report.confirm",
        AuditLog.entity == "report_snapshot",
        AuditLog.entity_id == str(snap.id),
    )
    changes = select(func.count(AuditLog.id)).where(
        AuditLog.id > signed.scalar_subquery(),
        AuditLog.outcome == "ok",
        AuditLog.action.not_like("report.%"),
        AuditLog.action.not_like("export.%"),
    )
    if doc.scope.agency_id is not None:
        changes = changes.where(AuditLog.agency_id == doc.scope.agency_id)
    n = int(await session.scalar(changes) or 0)
    if n:
        doc.notes.append(t("rpt.changed_after", n=n))


async def make_report(
    ctx: AppContext, actor: Actor, t: Texts, kind: str, agency_id: int | None,
    span: str = "week", program_id: int | None = None,
) -> Bundle:  # fmt: skip
    """The report with its chart and files, for the caller's scope (see :func:`check_scope`)."""
    agency_id = await check_scope(ctx, actor, agency_id)
    async with ctx.db.session() as session:
        doc = await build(session, ctx, t, kind, rd.Scope(agency_id, program_id), span)
        await compare(session, ctx, actor, t, doc)
        audit.record(
            session, actor, "report.view", "report", f"{kind}:{agency_id or 'all'}",
            after={"period": doc.period}, agency_id=agency_id,
        )  # fmt: skip
    return await render(t, doc)


async def render(t: Texts, doc: ReportDoc) -> Bundle:
    """The chart (worker process) and the files (a thread): off the event loop."""
    (png,) = await charts.render([doc.chart])
    scope_name = doc.title.split(" · ", 1)[-1]
    base = file_base(doc, t(f"rpt.kind.{doc.kind}"), scope_name)
    xlsx = await asyncio.to_thread(xlsx_file, doc, base)
    pdf = await asyncio.to_thread(pdf_file, doc, png, base)
    return Bundle(doc, png, [xlsx, pdf])


@dataclass(frozen=True)
class SignOff:
    snapshot_id: int
    name: str
    at: datetime
    figures: dict[str, object]


async def confirm(
    ctx: AppContext, actor: Actor, t: Texts, kind: str, agency_id: int | None, span: str
) -> SignOff:
    """ "제출 준비 완료": the figures as they are now (rebuilt here) kept with who and when."""
    agency_id = await check_scope(ctx, actor, agency_id)
    async with ctx.db.session() as session:
        doc = await build(session, ctx, t, kind, rd.Scope(agency_id), span)
        name = await _actor_name(session, actor)
        snap = ReportSnapshot(
            agency_id=agency_id, kind=kind, period=doc.period, figures=dict(doc.figures),
            confirmed_by=actor.telegram_id, confirmed_name=name, confirmed_at=ctx.now(),
        )  # fmt: skip
        session.add(snap)
        await session.flush()
        audit.record(
            session, actor, "report.confirm", "report_snapshot", snap.id,
            after={"kind": kind, "period": doc.period, "figures": dict(doc.figures)},
            agency_id=agency_id,
        )  # fmt: skip
        return SignOff(snap.id, name, snap.confirmed_at, dict(doc.figures))


async def _actor_name(session: AsyncSession, actor: Actor) -> str:
    if actor.is_staff:
        name = await session.scalar(
            select(StaffAccount.name)
            .where(StaffAccount.telegram_id == actor.telegram_id)
            .order_by(StaffAccount.id.desc())
            .limit(1)
        )
    else:
        name = await session.scalar(
            select(CenterOperator.name).where(CenterOperator.telegram_id == actor.telegram_id)
        )
    return name or str(actor.telegram_id)
