"""/privacy: what is stored about the caller, consent changes, and erasure.

Erasure withdraws the required consent and deletes the caller's personal data. Records that must be
kept stay: an application that took part in a program whose roster is confirmed (확정통보) or that
has finished — selected, completed or dropped out — is a participation record of the program
("only registered data counts"). For those the record (program, state, dates, education, the
eligibility declaration, completion, certificate) and the identity it needs (name, birth date,
resident number if collected) stay; contact data, self-introduction and résumé go. Everything else
— other applications with their history, all résumé files, contact data — is deleted.
Every erasure is audited with counts and field names, never with the erased values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.storage.models import (
    Application,
    ApplicationEvent,
    Certificate,
    Enrollment,
    Participant,
    StoredFile,
    SurveyResponse,
)

KEPT_STATES = ("selected", "completed", "dropped")
# erased even when participation records stay
CONTACT_FIELDS = ("mobile", "email", "link_token")
IDENTITY_FIELDS = ("name", "birth_date", "education", "rrn_enc", "rrn_masked")


@dataclass(frozen=True)
class MyData:
    name: str | None
    birth_date: date | None
    mobile: str | None
    email: str | None
    education: str | None
    rrn_masked: str | None
    consent_required_at: datetime | None
    consent_optional: bool
    applications: int
    files: int
    erased_at: datetime | None


@dataclass(frozen=True)
class ErasurePlan:
    delete_applications: int
    keep_programs: list[str]
    files: int

    @property
    def keeps_records(self) -> bool:
        return bool(self.keep_programs)


def _must_keep(app: Application) -> bool:
    program = app.program
    started = program.roster_locked_at is not None or program.status == "closed"
    return started and app.state in KEPT_STATES


async def _participant(session: AsyncSession, actor: Actor) -> Participant | None:
    found = await session.scalar(
        select(Participant).where(Participant.telegram_id == actor.telegram_id)
    )
    return found


async def _resume_files(session: AsyncSession, actor: Actor) -> list[StoredFile]:
    return list(
        (
            await session.scalars(
                select(StoredFile).where(
                    StoredFile.owner_telegram_id == actor.telegram_id, StoredFile.kind == "resume"
                )
            )
        ).all()
    )


async def _applications(session: AsyncSession, participant: Participant) -> list[Application]:
    return list(
        (
            await session.scalars(
                select(Application).where(Application.participant_id == participant.id)
            )
        ).all()
    )


async def my_data(ctx: AppContext, actor: Actor) -> MyData | None:
    async with ctx.db.session() as session:
        p = await _participant(session, actor)
        files = len(await _resume_files(session, actor))
        if p is None:
            return None
        count = await session.scalar(
            select(func.count(Application.id)).where(Application.participant_id == p.id)
        )
        return MyData(
            p.name,
            p.birth_date,
            p.mobile,
            p.email,
            p.education,
            p.rrn_masked,
            p.consent_required_at,
            p.consent_optional,
            count or 0,
            files,
            p.erased_at,
        )


async def set_optional_consent(ctx: AppContext, actor: Actor, agree: bool) -> bool:
    """Give or withdraw the optional consent (news). False: nothing changed."""
    async with ctx.db.session() as session:
        p = await _participant(session, actor)
        if p is None or p.consent_required_at is None or p.consent_optional == agree:
            return False
        p.consent_optional = agree
        audit.record(
            session, actor, "consent.optional", "participant", p.id, after={"optional": agree}
        )
        return True


async def erasure_plan(ctx: AppContext, actor: Actor) -> ErasurePlan | None:
    """What :func:`erase_my_data` would do now; None when there is nothing to erase."""
    async with ctx.db.session() as session:
        p = await _participant(session, actor)
        files = len(await _resume_files(session, actor))
        if p is None:
            return ErasurePlan(0, [], files) if files else None
        apps = await _applications(session, p)
        kept = [a for a in apps if _must_keep(a)]
        plan = ErasurePlan(len(apps) - len(kept), sorted({a.program.name for a in kept}), files)
        anything = (
            plan.delete_applications
            or files
            or p.consent_required_at is not None
            or any(getattr(p, f) is not None for f in CONTACT_FIELDS)
            or (not kept and any(getattr(p, f) is not None for f in IDENTITY_FIELDS))
        )
        return plan if anything else None


async def erase_my_data(ctx: AppContext, actor: Actor) -> ErasurePlan | None:
    """Withdraw consent and erase; None when there was nothing (left) to erase."""
    plan = await erasure_plan(ctx, actor)
    if plan is None:
        return None
    async with ctx.db.session() as session:
        p = await _participant(session, actor)
        files = await _resume_files(session, actor)
        apps = await _applications(session, p) if p is not None else []
        kept = [a for a in apps if _must_keep(a)]
        for app in kept:
            app.self_intro = None
            app.resume_file_id = None
        dropped = [a for a in apps if not _must_keep(a)]
        for app in dropped:
            audit.record(
                session,
                actor,
                "privacy.erase_application",
                "application",
                app.id,
                before={"state": app.state, "program_id": app.program_id},
                agency_id=app.program.agency_id,
            )
        ids = [a.id for a in dropped]
        if ids:
            for model in (ApplicationEvent, Enrollment, SurveyResponse, Certificate):
                await session.execute(delete(model).where(model.application_id.in_(ids)))
            await session.execute(delete(Application).where(Application.id.in_(ids)))
        await session.flush()
        for row in files:
            await session.delete(row)
        erased_fields: list[str] = []
        participant_id = p.id if p is not None else None
        if p is not None and kept:
            erased_fields = [f for f in CONTACT_FIELDS if getattr(p, f) is not None]
            for name in CONTACT_FIELDS:
                setattr(p, name, None)
            p.consent_required_at = None
            p.consent_optional = False
            p.consent_withdrawn_at = p.erased_at = ctx.now()
        elif p is not None:
            erased_fields = [f for f in (*CONTACT_FIELDS, *IDENTITY_FIELDS) if getattr(p, f)]
            await session.delete(p)
        audit.record(
            session,
            actor,
            "privacy.erase",
            "participant",
            participant_id,
            # counts and field names only — never the erased values
            after={
                "applications_deleted": len(dropped),
                "applications_kept": len(kept),
                "files_deleted": len(files),
                "fields": sorted(erased_fields),
                "participant_deleted": p is not None and not kept,
            },
        )
    return plan
