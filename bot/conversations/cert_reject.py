"""The center's reason for rejecting a certificate request, on the form engine: one text step
(≤ 500 characters; the participant is told it as written), the request rejected as soon as it
is given, then the pending list. ◀ 이전 goes back to the request's card."""

from __future__ import annotations

from pydantic import BaseModel

from bot.domain.errors import DomainError
from bot.forms.screens import refusal
from bot.forms.spec import Answer, Finish, Flow, Step, Turn
from bot.services import certificates
from bot.services.context import AppContext

LIST, CARD = "cert_list", "cert_card"  # the front end's screens (bot/handlers/certificates.py)


class RejectData(BaseModel):
    cid: int  # the certificate request
    name: str  # the participant's name, for the question
    reason: str = ""


def _reason(turn: Turn[RejectData], answer: Answer) -> str:
    reason = " ".join((answer.text or "").split())
    if not reason:
        raise DomainError("cert.reason_needed")
    if len(reason) > certificates.REASON_LIMIT:
        raise DomainError("text.too_long", used=len(reason), limit=certificates.REASON_LIMIT)
    return reason


async def _reject(turn: Turn[RejectData]) -> Finish:
    try:
        await certificates.reject(turn.ctx, turn.actor, turn.data.cid, turn.data.reason)
    except DomainError as error:  # decided meanwhile, gone: nothing the reason can fix
        return Finish(refusal(turn.t, error), exit=LIST)
    return Finish(turn.t("cert.rejected_done"), exit=LIST)


def flow(ctx: AppContext) -> Flow:
    return Flow(
        name="cert_reject",
        model=RejectData,
        items=(
            Step(
                "reason",
                lambda turn: turn.t("cert.reject_ask", name=turn.data.name),
                _reason,
                "cert.f.reason",
                wrong_input="cert.reject_ask_again",
            ),
        ),
        finish=_reject,
        back_exit=CARD,
    )
