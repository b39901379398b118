"""Completion certificates (수료증): requested by the participant, approved only by the center.

After the satisfaction survey the participant requests a certificate. Support-center operators see
the requests and approve or reject them (with a reason); **nobody else may** — the check is here,
not only in the handler's gate, and a refused attempt is audited. Approval gives the certificate a
unique issue number (:func:`bot.domain.certificates.make_issue_number`), renders the PDF, stores
it and queues it to the participant, who can download it again at any time. Anyone can check a
number with :func:`verify`.

Codes raised (params in parentheses):
- ``cert.not_found`` — no such certificate / completed application of the caller.
- ``cert.not_completed`` — the program was not completed.
- ``cert.survey_first`` — the satisfaction survey is not submitted yet.
- ``cert.already_requested`` — a request is already waiting for the center.
- ``cert.already_issued`` — the certificate was issued already (download it instead).
- ``cert.not_pending`` — the request was decided already.
- ``cert.reason_needed`` — rejecting without a reason.
- ``cert.not_issued`` — download of a certificate that is not issued.
- ``access.center_only`` — approval or rejection by anyone but a center operator (audited).
- ``access.denied`` — another participant's certificate.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.applications import ApplicationState
from bot.domain.certificates import make_issue_number, parse_issue_number
from bot.domain.errors import DomainError
from bot.services import audit, outbox
from bot.services.certificate_pdf import CertificateData, render
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.storage.models import (
    Application,
    CenterOperator,
    Certificate,
    Enrollment,
    Participant,
    StoredFile,
    SurveyResponse,
)

COMPLETED = ApplicationState.COMPLETED.value
REASON_LIMIT = 500
NUMBER_ATTEMPTS = 3


@dataclass(frozen=True)
class MyCertificate:
    application_id: int
    program_name: str
    survey_done: bool
    certificate_id: int | None
    status: str | None  # None | requested | approved | rejected
    issue_number: str | None
    issued_on: date | None
    reject_reason: str | None


@dataclass(frozen=True)
class RequestCard:
    certificate_id: int
    status: str
    requested_at: datetime
    name: str
    birth_date: date | None
    program: str
    agency: str
    period_start: date | None
    period_end: date | None
    completed_at: datetime | None
    survey_submitted_at: datetime | None
    survey_by_staff: bool


@dataclass(frozen=True)
class Verification:
    wellformed: bool
    valid: bool
    number: str
    masked_name: str | None = None
    program: str | None = None
    agency: str | None = None
    issued_on: date | None = None
    period_start: date | None = None
    period_end: date | None = None


VERIFY_PREFIX = "verify_"  # the deep link t.me/<bot>?start=verify_<number> printed on the PDF


def verify_link(bot_username: str | None, number: str) -> str | None:
    return f"https://t.me/{bot_username}?start={VERIFY_PREFIX}{number}" if bot_username else None


async def _survey(session: AsyncSession, application_id: int) -> SurveyResponse | None:
    found = await session.scalar(
        select(SurveyResponse).where(SurveyResponse.application_id == application_id)
    )
    return found


async def _certificate(session: AsyncSession, application_id: int) -> Certificate | None:
    found = await session.scalar(
        select(Certificate).where(Certificate.application_id == application_id)
    )
    return found


def _agency_name(app: Application) -> str:
    agency = app.program.agency
    return agency.corporate_name + (f" {agency.branch_name}" if agency.branch_name else "")


def total_hours(weekly_hours: int | None, start: date | None, end: date | None) -> int | None:
    """Work-experience hours: weekly hours × the period's weeks (a started week counts)."""
    if not weekly_hours or start is None or end is None or end < start:
        return None
    weeks = -(-((end - start).days + 1) // 7)
    return weekly_hours * weeks


# --- participant ---------------------------------------------------------------------------


async def mine(ctx: AppContext, actor: Actor) -> list[MyCertificate]:
    """The caller's completed programs with survey and certificate state."""
    async with ctx.db.session() as session:
        apps = (
            await session.scalars(
                select(Application)
                .join(Participant, Participant.id == Application.participant_id)
                .where(
                    Participant.telegram_id == actor.telegram_id, Application.state == COMPLETED
                )
                .order_by(Application.id)
            )
        ).all()
        result = []
        for app in apps:
            survey = await _survey(session, app.id)
            cert = await _certificate(session, app.id)
            result.append(
                MyCertificate(
                    application_id=app.id,
                    program_name=app.program.name,
                    survey_done=bool(survey and survey.submitted_at),
                    certificate_id=cert.id if cert else None,
                    status=cert.status if cert else None,
                    issue_number=cert.issue_number if cert else None,
                    issued_on=cert.issued_on if cert else None,
                    reject_reason=cert.reject_reason if cert else None,
                )
            )
        return result


async def _own_app(
    session: AsyncSession, ctx: AppContext, actor: Actor, application_id: int, action: str
) -> Application:
    app = await session.get(Application, application_id)
    if app is None:
        raise DomainError("cert.not_found")
    if app.participant.telegram_id != actor.telegram_id:
        await audit.refuse(ctx, actor, action, "application", application_id, code="access.denied")
    return app


async def _center_chat_ids(session: AsyncSession, ctx: AppContext) -> list[int]:
    ids = set(
        (
            await session.scalars(
                select(CenterOperator.telegram_id).where(CenterOperator.active.is_(True))
            )
        ).all()
    )
    ids.update(ctx.settings.center_user_ids)
    return sorted(ids)


async def request(ctx: AppContext, actor: Actor, application_id: int) -> int:
    """Ask the center for a certificate; a rejected request may be made again."""
    async with ctx.db.session() as session:
        app = await _own_app(session, ctx, actor, application_id, "cert.request")
        if app.state != COMPLETED:
            raise DomainError("cert.not_completed")
        survey = await _survey(session, app.id)
        if survey is None or survey.submitted_at is None:
            raise DomainError("cert.survey_first")
        cert = await _certificate(session, app.id)
        if cert is not None and cert.status == "requested":
            raise DomainError("cert.already_requested")
        if cert is not None and cert.status == "approved":
            raise DomainError("cert.already_issued")
        if cert is None:
            cert = Certificate(application_id=app.id, status="requested")
            session.add(cert)
        else:
            cert.status, cert.reject_reason = "requested", None
            cert.decided_by = cert.decided_at = None
        await session.flush()
        audit.record(
            session,
            actor,
            "cert.request",
            "certificate",
            cert.id,
            after={"application_id": app.id},
            agency_id=app.program.agency_id,
        )
        for chat_id in await _center_chat_ids(session, ctx):
            await outbox.enqueue(
                session,
                chat_id,
                "cert.requested",
                "cert.notice_center",
                params={"name": app.participant.name or "-", "program": app.program.name},
                buttons=[
                    [
                        {
                            "key": "cert.open_button",
                            "cb": "crtc",
                            "args": {"act": "open", "cid": cert.id},
                        }
                    ]
                ],
                entity="certificate",
                entity_id=cert.id,
            )
        return cert.id


async def download(ctx: AppContext, actor: Actor, application_id: int) -> tuple[str, bytes]:
    """The issued certificate's file (name, bytes), for its owner."""
    async with ctx.db.session() as session:
        app = await _own_app(session, ctx, actor, application_id, "cert.download")
        cert = await _certificate(session, app.id)
        if cert is None or cert.status != "approved" or cert.file_id is None:
            raise DomainError("cert.not_issued")
        file = await session.get(StoredFile, cert.file_id)
        if file is None:
            raise DomainError("cert.not_issued")
        audit.record(
            session,
            actor,
            "cert.download",
            "certificate",
            cert.id,
            agency_id=app.program.agency_id,
        )
        return file.file_name, file.content


# --- center --------------------------------------------------------------------------------


async def _center_only(ctx: AppContext, actor: Actor, action: str, cert_id: object) -> None:
    if not actor.is_center:
        await audit.refuse(ctx, actor, action, "certificate", cert_id, code="access.center_only")


async def pending(ctx: AppContext, actor: Actor) -> list[RequestCard]:
    await _center_only(ctx, actor, "cert.list", None)
    async with ctx.db.session() as session:
        certs = (
            await session.scalars(
                select(Certificate)
                .where(Certificate.status == "requested")
                .order_by(Certificate.created_at, Certificate.id)
            )
        ).all()
        return [await _card(session, cert) for cert in certs]


async def card(ctx: AppContext, actor: Actor, cert_id: int) -> RequestCard:
    await _center_only(ctx, actor, "cert.view", cert_id)
    async with ctx.db.session() as session:
        cert = await session.get(Certificate, cert_id)
        if cert is None:
            raise DomainError("cert.not_found")
        return await _card(session, cert)


async def _card(session: AsyncSession, cert: Certificate) -> RequestCard:
    app = await session.get(Application, cert.application_id)
    assert app is not None
    survey = await _survey(session, app.id)
    enrollment = await session.scalar(
        select(Enrollment).where(Enrollment.application_id == app.id)
    )
    return RequestCard(
        certificate_id=cert.id,
        status=cert.status,
        requested_at=cert.created_at,
        name=app.participant.name or "-",
        birth_date=app.participant.birth_date,
        program=app.program.name,
        agency=_agency_name(app),
        period_start=app.program.period_start,
        period_end=app.program.period_end,
        completed_at=enrollment.outcome_at if enrollment else None,
        survey_submitted_at=survey.submitted_at if survey else None,
        survey_by_staff=bool(survey and survey.entered_by_staff),
    )


async def _next_number(session: AsyncSession, year: int) -> str:
    prefix = make_issue_number(year, 1)[: len("YWE-0000-")]
    numbers = (
        await session.scalars(
            select(Certificate.issue_number).where(Certificate.issue_number.like(f"{prefix}%"))
        )
    ).all()
    seqs = [parsed[1] for n in numbers if n and (parsed := parse_issue_number(n))]
    return make_issue_number(year, max(seqs, default=0) + 1)


async def approve(
    ctx: AppContext, actor: Actor, cert_id: int, *, bot_username: str | None = None
) -> str:
    """Center only: issue the certificate (number, PDF) and send it. Returns the issue number.

    Two operators approving at the same moment could pick the same next number; the unique
    constraint refuses the second, which then takes the number after it.
    """
    await _center_only(ctx, actor, "cert.approve", cert_id)
    for attempt in range(NUMBER_ATTEMPTS):
        try:
            return await _approve(ctx, actor, cert_id, bot_username)
        except IntegrityError:
            if attempt + 1 == NUMBER_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


async def _approve(ctx: AppContext, actor: Actor, cert_id: int, bot_username: str | None) -> str:
    async with ctx.db.session() as session:
        cert = await session.get(Certificate, cert_id)
        if cert is None:
            raise DomainError("cert.not_found")
        if cert.status != "requested":
            raise DomainError("cert.not_pending")
        app = await session.get(Application, cert.application_id)
        assert app is not None
        survey = await _survey(session, app.id)
        if app.state != COMPLETED:
            raise DomainError("cert.not_completed")
        if survey is None or survey.submitted_at is None:
            raise DomainError("cert.survey_first")
        today = ctx.today()
        number = await _next_number(session, today.year)
        program = app.program
        content = await asyncio.to_thread(  # ~0.5 s of font work: keep the bot responsive
            render,
            CertificateData(
                issue_number=number,
                name=app.participant.name or "-",
                birth_date=app.participant.birth_date,
                program=program.name,
                agency=_agency_name(app),
                period_start=program.period_start,
                period_end=program.period_end,
                hours=total_hours(program.weekly_hours, program.period_start, program.period_end),
                issued_on=today,
                verify_link=verify_link(bot_username, number),
            ),
        )
        file = StoredFile(
            kind="certificate",
            file_name=f"certificate-{number}.pdf",
            mime_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            owner_telegram_id=app.participant.telegram_id,
        )
        session.add(file)
        await session.flush()
        cert.status = "approved"
        cert.issue_number = number
        cert.issued_on = today
        cert.file_id = file.id
        cert.decided_by = actor.telegram_id
        cert.decided_at = ctx.now()
        audit.record(
            session,
            actor,
            "cert.approve",
            "certificate",
            cert.id,
            before={"status": "requested"},
            after={"status": "approved", "number": number},
            agency_id=program.agency_id,
        )
        if app.participant.telegram_id is not None:
            await outbox.enqueue(
                session,
                app.participant.telegram_id,
                "cert.issued",
                "cert.notice_issued",
                params={"program": program.name, "number": number},
                file_id=file.id,
                dedupe_key=f"cert.issued:{cert.id}",
                entity="certificate",
                entity_id=cert.id,
            )
        return number


async def reject(ctx: AppContext, actor: Actor, cert_id: int, reason: str) -> None:
    """Center only: refuse the request with a reason the participant is told."""
    await _center_only(ctx, actor, "cert.reject", cert_id)
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError("cert.reason_needed")
    if len(reason) > REASON_LIMIT:
        raise DomainError("text.too_long", used=len(reason), limit=REASON_LIMIT)
    async with ctx.db.session() as session:
        cert = await session.get(Certificate, cert_id)
        if cert is None:
            raise DomainError("cert.not_found")
        if cert.status != "requested":
            raise DomainError("cert.not_pending")
        app = await session.get(Application, cert.application_id)
        assert app is not None
        cert.status = "rejected"
        cert.reject_reason = reason
        cert.decided_by = actor.telegram_id
        cert.decided_at = ctx.now()
        audit.record(
            session,
            actor,
            "cert.reject",
            "certificate",
            cert.id,
            before={"status": "requested"},
            after={"status": "rejected"},
            reason=reason,
            agency_id=app.program.agency_id,
        )
        if app.participant.telegram_id is not None:
            await outbox.enqueue(
                session,
                app.participant.telegram_id,
                "cert.rejected",
                "cert.notice_rejected",
                params={"program": app.program.name, "reason": reason},
                entity="certificate",
                entity_id=cert.id,
            )


# --- anyone --------------------------------------------------------------------------------


def mask_name(name: str) -> str:
    """홍길동 → 홍*동, 김수 → 김*, 남궁민수 → 남**수."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


async def verify(ctx: AppContext, number: str) -> Verification:
    """Is this a genuine, issued certificate number? (No personal data beyond a masked name.)"""
    cleaned = (number or "").strip().upper()
    if parse_issue_number(cleaned) is None:
        return Verification(wellformed=False, valid=False, number=cleaned)
    async with ctx.db.session() as session:
        cert = await session.scalar(
            select(Certificate).where(
                Certificate.issue_number == cleaned, Certificate.status == "approved"
            )
        )
        if cert is None:
            return Verification(wellformed=True, valid=False, number=cleaned)
        app = await session.get(Application, cert.application_id)
        assert app is not None
        return Verification(
            wellformed=True,
            valid=True,
            number=cleaned,
            masked_name=mask_name(app.participant.name or "-"),
            program=app.program.name,
            agency=_agency_name(app),
            issued_on=cert.issued_on,
            period_start=app.program.period_start,
            period_end=app.program.period_end,
        )
