"""Where the consents start (``bot/conversations/onboarding.py``): /start for a new participant,
or an action that needs them (📝 신청하기). The action is kept and carried out after them."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import Message, TelegramObject

from bot.conversations import onboarding
from bot.conversations.onboarding import WELCOME, OnboardingData
from bot.forms import resume
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.forms.spec import Turn
from bot.i18n import Texts
from bot.services.context import AppContext
from bot.services.identity import Actor


async def begin(
    event: TelegramObject,
    state: FSMContext,
    ctx: AppContext,
    t: Texts,
    actor: Actor,
    *,
    keep: bool = True,
) -> None:
    """The consent steps; ``event`` (a /start with a payload, a press) is carried out after them
    unless ``keep`` is False (a bare /start: the menu follows)."""
    message = resume.anchor(event)
    if message is None:
        return
    kept = await resume.keep(event if keep else None, state, ctx)
    data = OnboardingData(kept=kept)
    intro = t("onboarding.intro")
    await forms.begin(message, state, ctx, t, actor, FlowName.ONBOARDING, data, intro=intro)


async def _welcome(message: Message, turn: Turn[Any], state: FSMContext) -> None:
    """Nothing was interrupted: the menu, which says the consents were saved."""
    for hook in onboarding.done_hooks:
        if await hook(message, "", turn.actor, turn.t, state, turn.ctx):
            return
    await message.answer(turn.t("onboarding.done"))


forms.STATEFUL_EXITS[WELCOME] = _welcome
