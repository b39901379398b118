"""Offline applications (개별 신청): staff register a paper application; it lands ``certified``.

As the manual says, staff run the eligibility check for the person, pick the program and job,
enter the application date, highest education and the (paper) consent, and the application is
registered directly in :data:`~bot.domain.applications.OFFLINE_INITIAL_STATE`. The participant
has no chat yet: a one-time deep link (``/start link_<token>``) lets them attach their Telegram
account later and follow the status.

Codes raised (params in parentheses):
- ``offline.program`` — not an open program of the caller's agency.
- ``offline.job_required`` · ``offline.job`` — a job must be chosen / not a job of the program.
- ``offline.future_date`` — the application date lies in the future.
- ``offline.consent_required`` — the paper consent must be confirmed.
- ``offline.not_eligible`` — the answers fail a rule (the flow shows which before this).
- ``offline.duplicate`` — this person already has an open application to this program.
- ``apply.missing`` (field=rrn) — the rules collect resident numbers and none (or one sealed for
  someone else) came; ``rrn.birth_mismatch`` and the ``rrn.*`` codes of the number's check.
- ``link.invalid`` — the link was used already or never existed.
- ``link.not_participant`` — staff and center accounts cannot link an application.
- ``access.agency`` · ``access.denied``; field rules ``text.*``, ``phone.*``, ``elig.*``.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, update

from bot.domain.applications import FINAL_STATES, OFFLINE_INITIAL_STATE
from bot.domain.dates import parse_date
from bot.domain.eligibility import EligibilityResult, build_answers, evaluate, load_rules
from bot.domain.errors import DomainError
from bot.domain.identifiers import ResidentNumber, parse_rrn
from bot.domain.phones import require_mobile
from bot.domain.text import check_char_limit, require_text
from bot.services import audit, form_rules
from bot.services.context import AppContext
from bot.services.crypto import rrn_context, rrn_draft_context
from bot.services.identity import Actor
from bot.services.review import result_to_json
from bot.services.staff_accounts import clean_name
from bot.storage.models import Application, Job, Participant, Program

LINK_PREFIX = "link_"
EDUCATION_MAX = 50


@dataclass(frozen=True)
class ProgramChoice:
    id: int
    name: str
    type: str
    year: int


@dataclass(frozen=True)
class JobChoice:
    id: int
    name: str


@dataclass(frozen=True)
class Registered:
    app_id: int
    participant_id: int
    link_token: str


async def _require_staff(ctx: AppContext, actor: Actor) -> None:
    if not actor.is_staff:
        await audit.refuse(ctx, actor, "offline.register", "agency", code="access.denied")


async def programs(ctx: AppContext, actor: Actor) -> list[ProgramChoice]:
    """The caller's agency's approved programs whose roster is still open."""
    await _require_staff(ctx, actor)
    async with ctx.db.session() as session:
        rows = (
            await session.scalars(
                select(Program)
                .where(
                    Program.agency_id == actor.agency_id,
                    Program.status == "approved",
                    Program.roster_locked_at.is_(None),
                )
                .order_by(Program.id)
            )
        ).all()
    return [ProgramChoice(p.id, p.name, p.type, p.year) for p in rows]


async def _program_in_scope(ctx: AppContext, actor: Actor, program_id: int) -> Program:
    await _require_staff(ctx, actor)
    async with ctx.db.session() as session:
        program = await session.get(Program, program_id)
    if program is None:
        raise DomainError("offline.program")
    if program.agency_id != actor.agency_id:
        await audit.refuse(
            ctx, actor, "offline.register", "program", program_id, code="access.agency"
        )
    if program.status != "approved" or program.roster_locked_at is not None:
        raise DomainError("offline.program")
    return program


async def jobs(ctx: AppContext, actor: Actor, program_id: int) -> list[JobChoice]:
    await _program_in_scope(ctx, actor, program_id)
    async with ctx.db.session() as session:
        rows = (
            await session.scalars(select(Job).where(Job.program_id == program_id).order_by(Job.id))
        ).all()
    return [JobChoice(j.id, j.name) for j in rows]


def clean_education(raw: str) -> str:
    text = require_text(raw)
    check_char_limit(text, EDUCATION_MAX)
    return text


def clean_applied_on(raw: str, today: date) -> date:
    value = parse_date(raw)
    if value > today:
        raise DomainError("offline.future_date")
    return value


def seal_resident_number(
    ctx: AppContext, actor: Actor, raw: str, birth: date | None
) -> tuple[str, str]:
    """A resident number staff typed from the paper form: checked (and against the birth date
    when known), sealed for this staff member until the participant exists; (blob, masked)."""
    rrn = parse_rrn(raw, today=ctx.today())
    if birth is not None and rrn.birth_date != birth:
        raise DomainError("rrn.birth_mismatch")
    blob = ctx.cipher.encrypt(rrn.digits, context=rrn_draft_context(actor.telegram_id))
    return base64.b64encode(blob).decode(), rrn.masked


def _open_resident_number(
    ctx: AppContext, actor: Actor, sealed: str, birth: date
) -> ResidentNumber:
    try:
        blob = base64.b64decode(sealed, validate=True)
        digits = ctx.cipher.decrypt(blob, context=rrn_draft_context(actor.telegram_id))
    except Exception:  # not sealed by this staff member, or tampered with: ask again
        raise DomainError("apply.missing", field="rrn") from None
    rrn = parse_rrn(digits, today=ctx.today())
    if rrn.birth_date != birth:
        raise DomainError("rrn.birth_mismatch")
    return rrn


def answers_from_json(answers: dict[str, Any]) -> dict[str, Any]:
    return {
        k: parse_date(v) if k == "birth_date" and isinstance(v, str) else v
        for k, v in answers.items()
    }


def check_eligibility(answers: dict[str, Any], year: int, on: date) -> EligibilityResult:
    """Evaluate stored (JSON) answers for a program year on the application date."""
    rules = load_rules(year)
    return evaluate(build_answers(answers_from_json(answers), rules), rules, on)


async def register(ctx: AppContext, actor: Actor, form: dict[str, Any]) -> Registered:
    """Register a paper application: participant (no chat yet) + application ``certified``."""
    program = await _program_in_scope(ctx, actor, int(form.get("program_id") or 0))
    program_jobs = await jobs(ctx, actor, program.id)
    job_id = form.get("job_id")
    if program_jobs and not job_id:
        raise DomainError("offline.job_required")
    if job_id and int(job_id) not in {j.id for j in program_jobs}:
        raise DomainError("offline.job")
    name = clean_name(str(form.get("name") or ""))
    mobile = require_mobile(str(form["mobile"])).formatted if form.get("mobile") else None
    education = clean_education(str(form.get("education") or ""))
    applied_on = clean_applied_on(str(form.get("applied_on") or ""), ctx.today())
    if form.get("consent") is not True:
        raise DomainError("offline.consent_required")
    answers = dict(form.get("answers") or {})
    result = check_eligibility(answers, program.year, applied_on)
    if not result.eligible:
        raise DomainError("offline.not_eligible")
    birth = answers_from_json(answers)["birth_date"]
    rrn = None
    if form.get("rrn_enc") or form_rules.collects_resident_number(ctx):
        rrn = _open_resident_number(ctx, actor, str(form.get("rrn_enc") or ""), birth)
    now = ctx.now()
    token = secrets.token_urlsafe(16)
    async with ctx.db.session() as session:
        duplicate = await session.scalar(
            select(Application.id)
            .join(Participant, Application.participant_id == Participant.id)
            .where(
                Application.program_id == program.id,
                Participant.name == name,
                Participant.birth_date == birth,
                Application.state.not_in([s.value for s in FINAL_STATES]),
            )
        )
        if duplicate is not None:
            raise DomainError("offline.duplicate")
        participant = Participant(
            name=name,
            birth_date=birth,
            mobile=mobile,
            education=education,
            consent_required_at=now,
            link_token=token,
        )
        session.add(participant)
        await session.flush()
        if rrn is not None:  # sealed again, now for the participant
            context = rrn_context(participant.id)
            participant.rrn_enc = ctx.cipher.encrypt(rrn.digits, context=context)
            participant.rrn_masked = rrn.masked
        state = OFFLINE_INITIAL_STATE.value
        app = Application(
            participant_id=participant.id,
            program_id=program.id,
            job_id=int(job_id) if job_id else None,
            state=state,
            channel="offline",
            applied_on=applied_on,
            submitted_at=now,
            education=education,
            eligibility={"answers": answers, "on": applied_on.isoformat(), "year": program.year},
            eligibility_result=result_to_json(result),
            decided_by=actor.telegram_id,
            decided_at=now,
        )
        session.add(app)
        await session.flush()
        session.add(audit.application_event(app.id, actor, "register_offline", None, state))
        audit.record(
            session,
            actor,
            "application.register_offline",
            "application",
            app.id,
            agency_id=program.agency_id,
            after={"state": state, "channel": "offline", "program_id": program.id},
        )
        return Registered(app.id, participant.id, token)


@dataclass(frozen=True)
class Linked:
    participant_id: int
    programs: list[tuple[str, str]]  # (program name, state)


async def link(ctx: AppContext, actor: Actor, token: str) -> Linked:
    """Attach the caller's chat to the offline participant holding ``token`` (one time)."""
    if actor.is_staff or actor.is_center:
        raise DomainError("link.not_participant")
    tid = actor.telegram_id
    async with ctx.db.session() as session:
        offline = await session.scalar(select(Participant).where(Participant.link_token == token))
        if offline is None or offline.telegram_id is not None or not token:
            raise DomainError("link.invalid")
        mine = await session.scalar(select(Participant).where(Participant.telegram_id == tid))
        offline.link_token = None
        if mine is None:
            offline.telegram_id = tid
            target = offline
        else:
            # The chat already has a participant row (consent at /start): move the paper
            # applications onto it and keep the paper data where the chat row has none.
            await session.execute(
                update(Application)
                .where(Application.participant_id == offline.id)
                .values(participant_id=mine.id)
                .execution_options(synchronize_session=False)
            )
            for attr in ("name", "birth_date", "mobile", "email", "education"):
                if getattr(mine, attr) is None and getattr(offline, attr) is not None:
                    setattr(mine, attr, getattr(offline, attr))
            if mine.consent_required_at is None:
                mine.consent_required_at = offline.consent_required_at
            await session.flush()
            await session.delete(offline)
            target = mine
        await session.flush()
        rows = (
            await session.execute(
                select(Program.name, Application.state)
                .join(Application, Application.program_id == Program.id)
                .where(Application.participant_id == target.id, Application.channel == "offline")
                .order_by(Application.id)
            )
        ).all()
        audit.record(session, actor, "participant.link", "participant", target.id)
        return Linked(target.id, [(n, s) for n, s in rows])
