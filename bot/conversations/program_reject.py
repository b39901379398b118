"""The center's reason for rejecting a submitted program, on the form engine: one text step,
the program rejected as soon as it is given (the staff are told); a refusal of the reason (empty,
too long) asks again. ◀ 이전 goes back to the review card."""

from __future__ import annotations

from pydantic import BaseModel

from bot.domain.errors import DomainError
from bot.forms.screens import refusal
from bot.forms.spec import Answer, Finish, Flow, Step, Turn
from bot.services import program_registry
from bot.services.context import AppContext

CARD = "progreview_card"  # the front end's review card (bot/handlers/program_reviews.py)
ASK_AGAIN = ("progreg.reason_required", "text.too_long")


class ProgramRejectData(BaseModel):
    pid: int
    reason: str = ""


async def _reject(turn: Turn[ProgramRejectData]) -> Finish:
    t = turn.t
    try:
        outcome = await program_registry.reject(
            turn.ctx, turn.actor, turn.data.pid, turn.data.reason
        )
    except DomainError as error:
        if error.code in ASK_AGAIN:
            raise  # the engine asks for the reason again
        return Finish(refusal(t, error))
    if outcome.changed:
        return Finish(t("progreview.rejected"))
    return Finish(t("progreview.already", status=t(f"progreg.status.{outcome.status}")))


def _text(turn: Turn[ProgramRejectData], answer: Answer) -> str:
    return answer.text or ""


def flow(ctx: AppContext) -> Flow:
    return Flow(
        name="program_reject",
        model=ProgramRejectData,
        items=(
            Step(
                "reason",
                lambda turn: turn.t("progreview.ask_reason"),
                _text,
                "progreview.f.reason",
                wrong_input="progreg.text_please",
            ),
        ),
        finish=_reject,
        back_exit=CARD,
    )
