"""A new team in /assign (project programs), on the form engine: one text step — the name
(≤ 30 characters, unique in the program; the service checks) — then the team is made, the
person it was opened for (if any) joins it, and the assignment list shows again. A refused
name asks again; ◀ 이전 goes back to the list."""

from __future__ import annotations

from pydantic import BaseModel

from bot.domain.errors import DomainError
from bot.forms.screens import refusal
from bot.forms.spec import Answer, Finish, Flow, Step, Turn
from bot.services import enrollment
from bot.services.context import AppContext

LIST = "assign_list"  # the front end's list (bot/handlers/assignment.py)


class TeamData(BaseModel):
    pid: int
    page: int = 0  # of the list to go back to
    aid: int | None = None  # the person to put in the new team
    name: str = ""
    note: str = ""  # what was done, shown on the list


def _name(turn: Turn[TeamData], answer: Answer) -> str:
    return " ".join((answer.text or "").split())


async def _create(turn: Turn[TeamData]) -> Finish:
    data, t, ctx, actor = turn.data, turn.t, turn.ctx, turn.actor
    team = await enrollment.create_team(ctx, actor, data.pid, data.name)  # refused: ask again
    note = t("assign.team_created", name=team.name)
    if data.aid:
        try:
            where = await enrollment.assign_team(ctx, actor, data.aid, team.id)
            row = await enrollment.roster_row(ctx, actor, data.aid)
            note += "\n" + t("assign.done", name=row.name, where=where)
        except DomainError as error:
            note += "\n" + refusal(t, error)
    data.note = note
    return Finish("", exit=LIST)  # the list tells it


def flow(ctx: AppContext) -> Flow:
    return Flow(
        name="new_team",
        model=TeamData,
        items=(
            Step(
                "name",
                lambda turn: turn.t("assign.team_name_ask", limit=enrollment.TEAM_NAME_LIMIT),
                _name,
                "assign.f.team_name",
            ),
        ),
        finish=_create,
        back_exit=LIST,
    )
