"""The satisfaction survey (만족도 조사) of completed participants.

One ``SurveyResponse`` per application: answers are saved one by one as they are given (so a
survey survives a restart and can be resumed), then submitted once. The participant answers for
themself; staff of the program's agency may enter the answers on the participant's behalf (수기
작성), which marks the response as staff-entered.

Codes raised (params in parentheses):
- ``survey.not_found`` — no such completed application of the caller (or their agency).
- ``survey.not_completed`` — the participant has not completed the program.
- ``survey.already_submitted`` — the survey of this program was submitted already.
- ``survey.unknown_question`` — an answer to a question the survey does not have.
- ``access.agency`` / ``access.denied`` — staff of another agency, or another participant.
- the answer codes of :mod:`bot.domain.survey`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.applications import ApplicationState
from bot.domain.errors import DomainError
from bot.domain.survey import Survey, load_survey
from bot.services import audit, outbox
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.selection import staff_program
from bot.storage.models import Application, Participant, Program, SurveyResponse

COMPLETED = ApplicationState.COMPLETED.value


@dataclass(frozen=True)
class SurveyTarget:
    application_id: int
    program_name: str
    participant_name: str
    answers: dict[str, Any]
    submitted_at: datetime | None
    entered_by_staff: bool

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


@dataclass(frozen=True)
class ProgramSurveyRow:
    application_id: int
    name: str
    status: str  # none | in_progress | submitted
    entered_by_staff: bool


async def _application(
    session: AsyncSession, ctx: AppContext, actor: Actor, application_id: int, action: str
) -> Application:
    app = await session.get(Application, application_id)
    if app is None:
        raise DomainError("survey.not_found")
    if actor.is_staff:
        await staff_program(session, ctx, actor, app.program_id, action)
    elif app.participant.telegram_id != actor.telegram_id:
        await audit.refuse(ctx, actor, action, "application", application_id, code="access.denied")
    if app.state != COMPLETED:
        raise DomainError("survey.not_completed")
    return app


async def _response(session: AsyncSession, app: Application) -> SurveyResponse | None:
    found = await session.scalar(
        select(SurveyResponse).where(SurveyResponse.application_id == app.id)
    )
    return found


def _target(app: Application, response: SurveyResponse | None) -> SurveyTarget:
    return SurveyTarget(
        application_id=app.id,
        program_name=app.program.name,
        participant_name=app.participant.name or "-",
        answers=dict(response.answers) if response else {},
        submitted_at=response.submitted_at if response else None,
        entered_by_staff=response.entered_by_staff if response else False,
    )


def survey() -> Survey:
    return load_survey()


async def my_targets(ctx: AppContext, actor: Actor) -> list[SurveyTarget]:
    """The caller's completed programs with the state of their survey."""
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
        return [_target(app, await _response(session, app)) for app in apps]


async def open_target(ctx: AppContext, actor: Actor, application_id: int) -> SurveyTarget:
    async with ctx.db.session() as session:
        app = await _application(session, ctx, actor, application_id, "survey.open")
        return _target(app, await _response(session, app))


async def save_answer(
    ctx: AppContext, actor: Actor, application_id: int, key: str, value: object
) -> SurveyTarget:
    """Validate and store one answer (``None`` = skipped) right away."""
    definition = load_survey()
    try:
        question = definition.questions[definition.index_of(key)]
    except KeyError:
        raise DomainError("survey.unknown_question") from None
    stored = definition.check_answer(question, value)
    async with ctx.db.session() as session:
        app = await _application(session, ctx, actor, application_id, "survey.answer")
        response = await _response(session, app)
        if response is None:
            response = SurveyResponse(application_id=app.id, answers={})
            session.add(response)
        if response.submitted_at is not None:
            raise DomainError("survey.already_submitted")
        answers = dict(response.answers or {})
        answers[key] = stored
        response.answers = answers  # a new dict, so the JSON column is flagged as changed
        if actor.is_staff:
            response.entered_by_staff = True
            response.entered_by = actor.telegram_id
        await session.flush()
        return _target(app, response)


async def submit(ctx: AppContext, actor: Actor, application_id: int) -> SurveyTarget:
    """Submit once; every required question must be answered."""
    definition = load_survey()
    async with ctx.db.session() as session:
        app = await _application(session, ctx, actor, application_id, "survey.submit")
        response = await _response(session, app)
        if response is not None and response.submitted_at is not None:
            raise DomainError("survey.already_submitted")
        answers = dict(response.answers) if response else {}
        definition.check_complete(answers)
        assert response is not None  # check_complete refuses an empty survey
        response.submitted_at = ctx.now()
        if actor.is_staff:
            response.entered_by_staff = True
            response.entered_by = actor.telegram_id
        chat_id = app.participant.telegram_id
        if actor.is_staff and chat_id is not None:
            await outbox.enqueue(
                session,
                chat_id,
                "survey.entered_by_staff",
                "survey.notice_staff_entered",
                params={"program": app.program.name},
                buttons=[
                    [
                        {
                            "key": "survey.request_certificate",
                            "cb": "crt",
                            "args": {"act": "request", "aid": app.id},
                        }
                    ]
                ],
                dedupe_key=f"survey.entered_by_staff:{app.id}",
                entity="application",
                entity_id=app.id,
            )
        audit.record(
            session,
            actor,
            "survey.submit",
            "application",
            app.id,
            after={"version": definition.version, "entered_by_staff": response.entered_by_staff},
            agency_id=app.program.agency_id,
        )
        return _target(app, response)


async def program_overview(
    ctx: AppContext, actor: Actor, program_id: int
) -> list[ProgramSurveyRow]:
    """Completed participants of a program and whether they have answered (for staff)."""
    async with ctx.db.session() as session:
        await staff_program(session, ctx, actor, program_id, "survey.overview")
        result = await session.execute(
            select(Application, SurveyResponse)
            .outerjoin(SurveyResponse, SurveyResponse.application_id == Application.id)
            .where(Application.program_id == program_id, Application.state == COMPLETED)
            .order_by(Application.id)
        )
        rows = []
        for app, response in result.all():
            if response is None or not response.answers:
                status = "none"
            elif response.submitted_at is None:
                status = "in_progress"
            else:
                status = "submitted"
            rows.append(
                ProgramSurveyRow(
                    application_id=app.id,
                    name=app.participant.name or "-",
                    status=status,
                    entered_by_staff=bool(response and response.entered_by_staff),
                )
            )
        return rows


async def programs_with_completions(ctx: AppContext, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the caller's agency programs that have completed participants."""
    if not actor.is_staff:
        await audit.refuse(ctx, actor, "survey.overview", "program", code="access.denied")
    async with ctx.db.session() as session:
        rows = await session.execute(
            select(Program.id, Program.name)
            .where(
                Program.agency_id == actor.agency_id,
                Program.id.in_(
                    select(Application.program_id).where(Application.state == COMPLETED)
                ),
            )
            .order_by(Program.id.desc())
        )
        return [(pid, name) for pid, name in rows.all()]
