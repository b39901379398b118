"""First contact on the form engine: what the program is, then the privacy notice with its two
consents — the required one (동의 / 동의 안 함; recorded at once) and, after it, the optional
one (소식 받기). Nothing is collected before the required consent.

The consents interrupt what the person was doing (``/start prog_…``, a link, 📝 신청하기): that
action is kept (``kept``) and carried out once they are given (``bot/forms/resume.py``); with
nothing kept, the home menu follows. The entry points are in ``bot/handlers/onboarding.py``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from bot.domain.errors import DomainError
from bot.forms.spec import RESUME, Answer, Finish, Flow, Interrupted, Option, Step, Turn
from bot.services import users
from bot.services.context import AppContext

if TYPE_CHECKING:
    from aiogram.fsm.context import FSMContext
    from aiogram.types import Message

    from bot.i18n import Texts
    from bot.services.identity import Actor

WELCOME = "welcome"  # the front end's home menu after the consents (nothing was interrupted)

# Features register what to do with a /start payload (e.g. open a program): /start runs them
# once consent is given; the done hooks make the menu that follows the consents.
PayloadHook = Callable[
    ["Message", str, "Actor", "Texts", "FSMContext", AppContext], Awaitable[bool]
]
payload_hooks: list[PayloadHook] = []
done_hooks: list[PayloadHook] = []


class OnboardingData(BaseModel):
    required: bool | None = None
    optional: bool | None = None
    kept: Interrupted | None = None  # what the consents interrupted, carried out after them


def _yes_no(agree: str, decline: str) -> Callable[[Turn[Any]], list[Option]]:
    return lambda turn: [Option("1", turn.t(agree)), Option("0", turn.t(decline))]


def _agreed(turn: Turn[Any], answer: Answer) -> bool:
    if answer.choice not in ("0", "1"):
        raise DomainError("onboarding.choice")
    return answer.choice == "1"


async def _required(turn: Turn[OnboardingData], answer: Answer) -> bool:
    agree = _agreed(turn, answer)
    if agree:
        await users.give_consent(turn.ctx, turn.actor)
    return agree


async def _optional(turn: Turn[OnboardingData], answer: Answer) -> bool:
    agree = _agreed(turn, answer)
    await users.give_consent(turn.ctx, turn.actor, optional=agree)
    return agree


async def _done(turn: Turn[OnboardingData]) -> Finish:
    data, t = turn.data, turn.t
    if not data.required:
        return Finish(t("onboarding.declined"))
    if data.kept is not None and data.kept.due(turn.ctx.now()):
        return Finish(t("onboarding.done"), exit=RESUME)  # then what they were doing
    return Finish("", exit=WELCOME)  # the menu says "saved" itself


def flow(ctx: AppContext) -> Flow:
    return Flow(
        name="onboarding",
        model=OnboardingData,
        items=(
            Step(
                "required",
                lambda turn: turn.t("onboarding.privacy_required"),
                _required,
                "onboarding.f.required",
                options=_yes_no("onboarding.agree_required", "onboarding.decline_required"),
                takes=frozenset(),
                wrong_input="onboarding.use_buttons",
            ),
            Step(
                "optional",
                lambda turn: turn.t("onboarding.privacy_optional"),
                _optional,
                "onboarding.f.optional",
                options=_yes_no("onboarding.agree_optional", "onboarding.decline_optional"),
                takes=frozenset(),
                when=lambda data: bool(data.required),
                wrong_input="onboarding.use_buttons",
            ),
        ),
        finish=_done,
    )
