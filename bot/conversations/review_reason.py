"""The reason for a hold (보류), a return (반려) or an account rejection, on the form engine: one
step — a quick pick (for this kind) or free text (≤ 500 characters, checked by the service) —
and the decision is made as soon as it is given.

A refusal of the text (too long, empty) asks again; any other refusal (decided meanwhile by
someone else, no longer pending) ends the flow with its reason. ✖ 취소 and /cancel leave
everything unchanged; a button of an older prompt is stale (the engine's screen numbers).
"""

from __future__ import annotations

from typing import Literal

from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from pydantic import BaseModel

from bot.domain.errors import DomainError
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.forms.screens import refusal
from bot.forms.spec import Answer, Finish, Flow, Option, Step, Turn
from bot.i18n import Texts
from bot.services import review, staff_accounts
from bot.services.context import AppContext
from bot.services.identity import Actor

Kind = Literal["hold", "return", "reject"]
# Quick picks per kind: locale keys ``review.pick.<kind>.<n>``.
QUICK_PICKS: dict[str, int] = {"hold": 4, "return": 4, "reject": 3}
ASK_AGAIN = ("text.", "staff.reason")  # refusals of the reason itself


class ReasonData(BaseModel):
    kind: Kind
    target: int  # the application (hold, return) or the account request (reject)
    version: int = 0  # the application card's version the decision is made against
    reason: str = ""
    card: int | None = None  # the pressed card's message: brought up to date after the decision


def pick_key(kind: str, index: int) -> str:
    return f"review.pick.{kind}.{index}"


def _picks(turn: Turn[ReasonData]) -> list[Option]:
    kind = turn.data.kind
    return [Option(str(i), turn.t(pick_key(kind, i))) for i in range(QUICK_PICKS[kind])]


def _reason(turn: Turn[ReasonData], answer: Answer) -> str:
    if answer.choice is not None:
        index = int(answer.choice) if answer.choice.isdigit() else -1
        if not 0 <= index < QUICK_PICKS[turn.data.kind]:
            raise DomainError("text.empty")
        return turn.t(pick_key(turn.data.kind, index))
    return answer.text or ""


async def _decide(turn: Turn[ReasonData]) -> Finish:
    data, t, ctx, actor = turn.data, turn.t, turn.ctx, turn.actor
    try:
        if data.kind == "reject":
            await staff_accounts.decide_request(
                ctx, actor, data.target, approve=False, reason=data.reason
            )
            text = t("staff.approver.rejected", id=data.target, reason=data.reason)
        else:
            decision = await review.decide(
                ctx, actor, data.target, data.kind, version=data.version, reason=data.reason
            )
            text = t(f"review.done.{decision.to_state}", id=data.target, reason=data.reason)
    except DomainError as error:
        if error.code.startswith(ASK_AGAIN):
            raise  # the engine asks for the reason again
        return Finish(refusal(t, error))
    # the pressed card is edited to its new state (bot.handlers.review, staff_admin)
    card_screen = "account_card" if data.kind == "reject" else "review_card"
    return Finish(text + "\n" + t("review.next_hint"), exit=card_screen)


def flow(ctx: AppContext) -> Flow:
    return Flow(
        name="reason",
        model=ReasonData,
        items=(
            Step(
                "reason",
                lambda turn: turn.t(f"review.ask_reason.{turn.data.kind}", id=turn.data.target),
                _reason,
                "review.f.reason",
                options=_picks,
                wrong_input="review.reason_expected",
            ),
        ),
        finish=_decide,
    )


async def begin(
    message: Message,
    state: FSMContext,
    ctx: AppContext,
    t: Texts,
    actor: Actor,
    *,
    kind: Kind,
    target: int,
    version: int = 0,
    card: int | None = None,
) -> None:
    data = ReasonData(kind=kind, target=target, version=version, card=card)
    await forms.begin(message, state, ctx, t, actor, FlowName.REASON, data)
