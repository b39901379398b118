"""Completing a participant before the program's end (조기 수료), on the form engine: one text
step — the reason (≤ 300 characters) — and the completion recorded with it as soon as it is
given; then the person's /progress card. ◀ 이전 goes back to the card."""

from __future__ import annotations

from pydantic import BaseModel

from bot.domain.errors import DomainError
from bot.forms.screens import refusal
from bot.forms.spec import Answer, Finish, Flow, Step, Turn
from bot.services import enrollment
from bot.services.context import AppContext

CARD = "progress_card"  # the front end's card (bot/handlers/progress.py)
REASON_LIMIT = 300


class EarlyData(BaseModel):
    pid: int
    aid: int  # the application completed
    name: str  # the participant, for the closing text
    reason: str = ""
    note: str = ""  # what was done, shown on the card


def _reason(turn: Turn[EarlyData], answer: Answer) -> str:
    reason = " ".join((answer.text or "").split())
    if not reason:
        raise DomainError("progress.reason_needed")
    if len(reason) > REASON_LIMIT:
        raise DomainError("text.too_long", used=len(reason), limit=REASON_LIMIT)
    return reason


async def _complete(turn: Turn[EarlyData]) -> Finish:
    data, t = turn.data, turn.t
    try:
        await enrollment.complete(turn.ctx, turn.actor, data.aid, reason=data.reason)
    except DomainError as error:  # changed meanwhile: the card tells what is true now
        data.note = refusal(t, error)
    else:
        data.note = t("progress.completed_done", name=data.name)
    return Finish("", exit=CARD)  # the card tells it


def flow(ctx: AppContext) -> Flow:
    return Flow(
        name="early_completion",
        model=EarlyData,
        items=(
            Step(
                "reason",
                lambda turn: turn.t("progress.reason_ask", limit=REASON_LIMIT),
                _reason,
                "progress.f.reason",
            ),
        ),
        finish=_complete,
        back_exit=CARD,
    )
