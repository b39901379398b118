"""The participant's one-time link to a paper application (``/start link_<token>``), on the form
engine: one confirmation button, then the chat is attached to the applications staff registered
(``offline_application.py``) and their states are listed. A used or unknown link ends the flow
with its refusal. The token waits in the flow's data (callback data would show it)."""

from __future__ import annotations

from pydantic import BaseModel

from bot.forms.spec import Finish, Flow, Option, Step, Turn
from bot.services import offline
from bot.services.context import AppContext


class LinkData(BaseModel):
    token: str
    confirmed: bool = False


async def _link(turn: Turn[LinkData]) -> Finish:
    t = turn.t
    linked = await offline.link(turn.ctx, turn.actor, turn.data.token)  # refused: fatal
    lines = [t("offline.linked")]
    lines += [
        t("offline.linked_item", program=name, state=t(f"staff.state.{state}"))
        for name, state in linked.programs
    ]
    return Finish("\n".join(lines))


def flow(ctx: AppContext) -> Flow:
    return Flow(
        name="offline_link",
        model=LinkData,
        items=(
            Step(
                "confirmed",
                lambda turn: turn.t("offline.link_ask"),
                lambda turn, answer: True,
                "offline.f.link",
                options=lambda turn: [Option("1", turn.t("offline.link_confirm"))],
                takes=frozenset(),
                wrong_input="offline.link_use_buttons",
            ),
        ),
        finish=_link,
        fatal=frozenset({"link.invalid", "link.not_participant"}),
    )
