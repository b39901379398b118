"""Daily digests for staff and the support center, and nudges for participants.

- Staff (each approved 담당자; the head when an agency has no other staff): their pending cards —
  applications to review, the selection pool, completions due, surveys not answered.
- Center operators: account requests, program approvals, insured-count checks, certificates.
- Nothing pending → no message.
- Participants: the satisfaction survey after completion on days 1, 3 and 7 (stopping once
  answered), and a held application not yet resubmitted on the same days after the hold.

Dedupe keys: ``digest:<staff|center>:<date>:<recipient>``; ``nudge:survey:<app>:d<n>`` and
``nudge:held:<app>:v<version>:d<n>``. After a break only the latest due nudge goes out.
"""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Translator
from bot.services import outbox
from bot.services.context import AppContext
from bot.services.reports import languages, plain
from bot.storage.queries import reports as q

NUDGE_DAYS = (1, 3, 7)
NUDGE_GRACE = 3  # the day-7 nudge may still go out up to day 9, then never


def due_nudge(days: int) -> int | None:
    """Which nudge (1, 3 or 7) is due ``days`` days after the event, if any."""
    due = None
    for n in NUDGE_DAYS:
        if days >= n:
            due = n
    if due == NUDGE_DAYS[-1] and days >= due + NUDGE_GRACE:
        return None
    return due


async def send_daily_digests(ctx: AppContext, translator: Translator, when: datetime) -> int:
    day = when.astimezone(ctx.settings.tz).date()
    written = 0
    async with ctx.db.session() as session:
        agencies = await q.active_agencies(session)
    for agency in agencies:
        async with ctx.db.session() as session:
            staff = await q.agency_staff(session, agency.id)
            recipients = [m for m in staff if not m.is_head] or staff
            if not recipients:
                continue
            pending = await q.staff_pending(session, agency.id, day)
            if pending.empty:
                continue
            langs = await languages(session, [m.telegram_id for m in recipients])
            for member in recipients:
                t = translator.bind(langs.get(member.telegram_id, "ko"))
                lines = [
                    plain(t, f"digest.staff.{name}", n=n)
                    for name, n in (
                        ("inbox", pending.inbox),
                        ("selection", pending.selection),
                        ("completion", pending.completion),
                        ("surveys", pending.surveys),
                    )
                    if n
                ]
                if pending.held:
                    lines.append(plain(t, "digest.staff.held", n=pending.held))
                written += await outbox.enqueue(
                    session,
                    member.telegram_id,
                    "digest.staff",
                    "digest.staff.message",
                    params={"date": day.isoformat(), "body": "\n".join(lines)},
                    dedupe_key=f"digest:staff:{day.isoformat()}:{member.telegram_id}",
                    entity="agency",
                    entity_id=agency.id,
                )
    async with ctx.db.session() as session:
        pending_center = await q.center_pending(session)
        if pending_center.empty:
            return written
        operators = await q.center_operators(session, ctx.settings.center_user_ids)
        langs = await languages(session, operators)
        for tid in operators:
            t = translator.bind(langs.get(tid, "ko"))
            lines = [
                plain(t, f"digest.center.{name}", n=n)
                for name, n in (
                    ("accounts", pending_center.accounts),
                    ("programs", pending_center.programs),
                    ("company_checks", pending_center.company_checks),
                    ("certificates", pending_center.certificates),
                )
                if n
            ]
            written += await outbox.enqueue(
                session,
                tid,
                "digest.center",
                "digest.center.message",
                params={"date": day.isoformat(), "body": "\n".join(lines)},
                dedupe_key=f"digest:center:{day.isoformat()}:{tid}",
            )
    return written


async def send_participant_nudges(ctx: AppContext, translator: Translator, when: datetime) -> int:
    tz = ctx.settings.tz
    today = when.astimezone(tz).date()
    written = 0
    async with ctx.db.session() as session:
        for target in await q.completed_without_survey(session):
            n = due_nudge((today - target.since.astimezone(tz).date()).days)
            if n is None:
                continue
            written += await outbox.enqueue(
                session,
                target.chat_id,
                "nudge.survey",
                "nudge.survey",
                params={"program": target.program, "day": n},
                buttons=[
                    [
                        {
                            "key": "survey.start_button",
                            "cb": "svst",
                            "args": {"aid": target.application_id},
                        }
                    ]
                ],
                dedupe_key=f"nudge:survey:{target.application_id}:d{n}",
                entity="application",
                entity_id=target.application_id,
            )
        for target in await q.held_not_resubmitted(session):
            n = due_nudge((today - target.since.astimezone(tz).date()).days)
            if n is None:
                continue
            written += await outbox.enqueue(
                session,
                target.chat_id,
                "nudge.held",
                "nudge.held",
                params={"program": target.program, "days": n},
                buttons=[
                    [
                        {
                            "key": "review.btn.amend",
                            "cb": "myapp",
                            "args": {"action": "amend", "app_id": target.application_id},
                        }
                    ]
                ],
                dedupe_key=f"nudge:held:{target.application_id}:v{target.version}:d{n}",
                entity="application",
                entity_id=target.application_id,
            )
    return written
