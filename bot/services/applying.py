"""Applying to a program in chat: submit, amend + resubmit, withdraw, résumé files.

The conversation checks each answer as it is typed (:mod:`bot.services.form_rules`), and the
service checks everything again on submit, in one transaction with the state change, its
ApplicationEvent and the audit row. Resident numbers travel only encrypted (``rrn_enc``, base64
of the AES-GCM blob bound to ``rrn_context(participant_id)``) and masked.

Codes raised (params in parentheses):
- ``apply.no_consent`` · ``apply.duplicate`` · ``apply.ineligible`` · ``apply.missing`` (field) ·
  ``apply.job`` · ``apply.resume_required`` · ``apply.closed`` · ``apply.locked`` · ``apply.full``
- ``resume.type`` (ext) · ``resume.too_big`` (size_mb, limit_mb) · ``resume.content`` (ext)
- ``rrn.birth_mismatch`` and the ``rrn.*`` / ``phone.*`` / ``email.*`` / ``text.*`` /
  ``date.*`` codes of :mod:`bot.domain`
- ``myapp.not_yours`` (audited) · ``amend.not_held`` · ``withdraw.locked`` (phone) ·
  ``withdraw.final``
"""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.applications import ApplicationAction, ApplicationState, next_state
from bot.domain.errors import DomainError
from bot.domain.identifiers import parse_rrn
from bot.domain.ids import is_id
from bot.services import audit
from bot.services.catalogue import closed_reason, load_public_program, roster_count
from bot.services.context import AppContext
from bot.services.crypto import rrn_context
from bot.services.form_rules import (
    EDUCATION,
    MAGIC,
    RESUME_MIME,
    birth_date_of,
    check_eligibility,
    check_resume,
    clean_email,
    clean_mobile,
    clean_name,
    clean_self_intro,
    collects_resident_number,
    education_value,
    needs_job,
)
from bot.services.identity import Actor
from bot.storage.models import Application, Job, Participant, StoredFile

# what an amend may change (``elig`` = eligibility answers, birth date included)
AMENDABLE = (
    "name",
    "mobile",
    "email",
    "education",
    "job_id",
    "self_intro",
    "resume_file_id",
    "rrn_enc",
    "elig",
)


# --- résumé files -------------------------------------------------------------------------------


async def store_resume(
    ctx: AppContext, actor: Actor, file_name: str, content: bytes, telegram_file_id: str | None
) -> int:
    """Keep an uploaded résumé (linked to the application on submit); refuse a wrong file."""
    ext = check_resume(file_name, len(content))
    if not content.startswith(MAGIC[ext]):
        raise DomainError("resume.content", ext=ext)
    async with ctx.db.session() as session:
        row = StoredFile(
            kind="resume",
            file_name=file_name[:255],
            mime_type=RESUME_MIME[ext],
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            telegram_file_id=telegram_file_id,
            owner_telegram_id=actor.telegram_id,
        )
        session.add(row)
        await session.flush()
        return row.id


async def discard_resume(ctx: AppContext, actor: Actor, file_id: int | None) -> None:
    """Drop a replaced draft résumé (never one that an application refers to)."""
    if file_id is None:
        return
    async with ctx.db.session() as session:
        row = await session.get(StoredFile, file_id)
        used = await session.scalar(
            select(Application.id).where(Application.resume_file_id == file_id).limit(1)
        )
        if row is not None and row.owner_telegram_id == actor.telegram_id and used is None:
            await session.delete(row)


# --- applying -----------------------------------------------------------------------------------


async def _participant(session: AsyncSession, actor: Actor) -> Participant:
    participant = await session.scalar(
        select(Participant).where(Participant.telegram_id == actor.telegram_id)
    )
    if participant is None or participant.consent_required_at is None:
        raise DomainError("apply.no_consent")
    return participant


async def _existing(
    session: AsyncSession, participant_id: int, program_id: int
) -> Application | None:
    found = await session.scalar(
        select(Application).where(
            Application.participant_id == participant_id,
            Application.program_id == program_id,
            Application.state != ApplicationState.WITHDRAWN.value,
        )
    )
    return found


async def check_can_apply(ctx: AppContext, actor: Actor, program_id: int) -> None:
    """Refuse early (before the form) what a submit would refuse: closed, full, applied already."""
    async with ctx.db.session() as session:
        participant = await _participant(session, actor)
        program = await load_public_program(session, program_id)
        reason = await closed_reason(session, program, ctx.today())
        if reason:
            raise DomainError(reason)
        if await _existing(session, participant.id, program_id) is not None:
            raise DomainError("apply.duplicate")


async def _check_job(session: AsyncSession, program_id: int, job_id: Any) -> int:
    job = await session.get(Job, job_id) if isinstance(job_id, int) else None
    if job is None or job.program_id != program_id:
        raise DomainError("apply.job")
    if job.headcount and await roster_count(session, program_id, job.id) >= job.headcount:
        raise DomainError("apply.full")
    return job.id


async def _check_resume_file(session: AsyncSession, actor: Actor, file_id: Any) -> int:
    row = await session.get(StoredFile, file_id) if isinstance(file_id, int) else None
    if row is None or row.owner_telegram_id != actor.telegram_id or row.kind != "resume":
        raise DomainError("apply.missing", field="resume")
    return row.id


def _eligibility_record(
    ctx: AppContext, stored: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    result = check_eligibility(ctx, stored)
    if not result.eligible:
        raise DomainError("apply.ineligible")
    answers: dict[str, Any] = {"answers": dict(stored), "on": ctx.today().isoformat()}
    answers["year"] = ctx.settings.program_year
    summary = {
        "eligible": True,
        "failures": [],
        "notes": [n.code for n in result.notes],
        "needs_check": [{"code": c.code, "params": dict(c.params)} for c in result.needs_check],
    }
    return answers, summary


def _open_rrn(
    ctx: AppContext, participant: Participant, blob_b64: Any, birth: date | None
) -> bytes:
    """The sealed number as stored; it must open for this participant and match the birth date."""
    try:
        blob = base64.b64decode(str(blob_b64), validate=True)
        digits = ctx.cipher.decrypt(blob, context=rrn_context(participant.id))
    except Exception:  # not ours, or tampered with: ask again
        raise DomainError("apply.missing", field="rrn") from None
    if birth is not None and parse_rrn(digits, today=ctx.today()).birth_date != birth:
        raise DomainError("rrn.birth_mismatch")
    return blob


async def submit_application(
    ctx: AppContext, actor: Actor, program_id: int, form: dict[str, Any], elig: dict[str, Any]
) -> Application:
    """Submit an online application: state 인증대기 (``submitted``) with today's date."""
    eligibility, result = _eligibility_record(ctx, elig)
    async with ctx.db.session() as session:
        participant = await _participant(session, actor)
        program = await load_public_program(session, program_id)
        reason = await closed_reason(session, program, ctx.today())
        if reason:
            raise DomainError(reason)
        if await _existing(session, participant.id, program_id) is not None:
            raise DomainError("apply.duplicate")
        for key in ("name", "mobile", "email", "education", "self_intro"):
            if not form.get(key):
                raise DomainError("apply.missing", field=key)
        name, mobile = clean_name(form["name"]), clean_mobile(form["mobile"])
        email, (intro, _) = clean_email(form["email"]), clean_self_intro(form["self_intro"])
        education = education_value(form["education"])
        job_id = (
            await _check_job(session, program.id, form.get("job_id"))
            if needs_job(program.type)
            else None
        )
        resume_id = None
        if form.get("resume_file_id") is not None:
            resume_id = await _check_resume_file(session, actor, form["resume_file_id"])
        elif program.resume_required:
            raise DomainError("apply.resume_required")
        if collects_resident_number(ctx):
            if not form.get("rrn_enc"):
                raise DomainError("apply.missing", field="rrn")
            participant.rrn_enc = _open_rrn(ctx, participant, form["rrn_enc"], birth_date_of(elig))
            participant.rrn_masked = str(form.get("rrn_masked") or "")[:16]
        participant.name, participant.birth_date = name, birth_date_of(elig)
        participant.mobile, participant.email, participant.education = mobile, email, education
        app = Application(
            participant_id=participant.id,
            program_id=program.id,
            job_id=job_id,
            state=next_state(
                ApplicationState.DRAFT, ApplicationAction.SUBMIT, roster_locked=False
            ),
            channel="online",
            applied_on=ctx.today(),
            submitted_at=ctx.now(),
            education=education,
            self_intro=intro,
            resume_file_id=resume_id,
            eligibility=eligibility,
            eligibility_result=result,
        )
        session.add(app)
        await session.flush()
        session.add(
            audit.application_event(
                app.id, actor, ApplicationAction.SUBMIT.value, ApplicationState.DRAFT, app.state
            )
        )
        audit.record(
            session,
            actor,
            "application.submit",
            "application",
            app.id,
            after={"program_id": program.id, "state": app.state, "job_id": job_id},
            agency_id=program.agency_id,
        )
        return app


async def check_owner(ctx: AppContext, actor: Actor, app_id: int, action: str) -> None:
    if not is_id(app_id):  # a forged number: no such application (nothing to look up)
        raise DomainError("myapp.not_yours")
    async with ctx.db.session() as session:
        owner = await session.scalar(
            select(Participant.telegram_id)
            .join(Application, Application.participant_id == Participant.id)
            .where(Application.id == app_id)
        )
    if owner is None or owner != actor.telegram_id:
        await audit.refuse(ctx, actor, action, "application", app_id, code="myapp.not_yours")


async def amend_form(ctx: AppContext, actor: Actor, app_id: int) -> dict[str, Any]:
    """The held application's current answers, to prefill the amend flow."""
    await check_owner(ctx, actor, app_id, "application.amend")
    async with ctx.db.session() as session:
        app = await session.get(Application, app_id)
        assert app is not None
        if app.state != ApplicationState.HELD.value:
            raise DomainError("amend.not_held")
        p = app.participant
        resume = await session.get(StoredFile, app.resume_file_id) if app.resume_file_id else None
        code = next((c for c, v in EDUCATION.items() if v == app.education), "")
        jobs = (await session.scalars(select(Job).where(Job.program_id == app.program_id))).all()
        return {
            "program_id": app.program_id,
            "program_name": app.program.name,
            "ptype": app.program.type,
            "resume_required": app.program.resume_required,
            "jobs": [[j.id, j.name] for j in jobs],
            "reason": app.last_reason or "",
            "elig": dict((app.eligibility or {}).get("answers") or {}),
            "form": {
                "name": p.name or "",
                "mobile": p.mobile or "",
                "email": p.email or "",
                "education": code,
                "job_id": app.job_id,
                "self_intro": app.self_intro or "",
                "resume_file_id": app.resume_file_id,
                "resume_name": resume.file_name if resume else "",
                "rrn_masked": p.rrn_masked or "",
            },
        }


async def resubmit_application(
    ctx: AppContext, actor: Actor, app_id: int, changes: dict[str, Any]
) -> Application:
    """A held (보류) application, amended by its owner, goes back to 인증대기 (→ submitted)."""
    await check_owner(ctx, actor, app_id, "application.resubmit")
    unknown = set(changes) - set(AMENDABLE) - {"rrn_masked"}
    if unknown:
        raise DomainError("apply.missing", field=sorted(unknown)[0])
    async with ctx.db.session() as session:
        app = await session.get(Application, app_id)
        assert app is not None
        program, participant = app.program, app.participant
        before = app.state
        target = next_state(
            before, ApplicationAction.RESUBMIT, roster_locked=program.roster_locked_at is not None
        )
        if "elig" in changes:
            app.eligibility, app.eligibility_result = _eligibility_record(ctx, changes["elig"])
            participant.birth_date = birth_date_of(changes["elig"])
        if "name" in changes:
            participant.name = clean_name(changes["name"])
        if "mobile" in changes:
            participant.mobile = clean_mobile(changes["mobile"])
        if "email" in changes:
            participant.email = clean_email(changes["email"])
        if "education" in changes:
            app.education = participant.education = education_value(changes["education"])
        if "self_intro" in changes:
            app.self_intro = clean_self_intro(changes["self_intro"])[0]
        if "job_id" in changes and needs_job(program.type):
            app.job_id = await _check_job(session, program.id, changes["job_id"])
        if "resume_file_id" in changes:
            new_file = changes["resume_file_id"]
            if new_file is None and program.resume_required:
                raise DomainError("apply.resume_required")
            app.resume_file_id = (
                None if new_file is None else await _check_resume_file(session, actor, new_file)
            )
        if changes.get("rrn_enc"):
            birth = participant.birth_date
            participant.rrn_enc = _open_rrn(ctx, participant, changes["rrn_enc"], birth)
            participant.rrn_masked = str(changes.get("rrn_masked") or "")[:16]
        app.state = target.value
        app.submitted_at = ctx.now()
        app.version += 1
        session.add(
            audit.application_event(
                app.id, actor, ApplicationAction.RESUBMIT.value, before, app.state
            )
        )
        audit.record(
            session,
            actor,
            "application.resubmit",
            "application",
            app.id,
            before={"state": before},
            # names of the changed fields only: the values are personal data
            after={"state": app.state, "changed": sorted(k for k in changes if k != "rrn_masked")},
            agency_id=program.agency_id,
        )
        return app


async def withdraw_application(ctx: AppContext, actor: Actor, app_id: int) -> bool:
    """Take an application back before the roster is confirmed. False: it was withdrawn already."""
    await check_owner(ctx, actor, app_id, "application.withdraw")
    async with ctx.db.session() as session:
        app = await session.get(Application, app_id)
        assert app is not None
        if app.state == ApplicationState.WITHDRAWN.value:
            return False
        program = app.program
        try:
            target = next_state(
                app.state,
                ApplicationAction.WITHDRAW,
                roster_locked=program.roster_locked_at is not None,
            )
        except DomainError as error:
            if error.code == "roster.locked":
                raise DomainError("withdraw.locked", phone=program.contact_phone or "-") from None
            raise DomainError("withdraw.final") from None
        before = app.state
        app.state = target.value
        app.version += 1
        session.add(
            audit.application_event(
                app.id, actor, ApplicationAction.WITHDRAW.value, before, app.state
            )
        )
        audit.record(
            session,
            actor,
            "application.withdraw",
            "application",
            app.id,
            before={"state": before},
            after={"state": app.state},
            agency_id=program.agency_id,
        )
        return True
