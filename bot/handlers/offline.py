"""/offline (staff register a paper application) and ``/start link_<token>`` (the participant
attaches it to their chat): where the two flows start, and the registered screen with the link.
The flows themselves: ``bot/conversations/offline_application.py`` and ``offline_link.py``."""

from __future__ import annotations

from typing import Any

from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.conversations import offline_application, onboarding
from bot.conversations.offline_application import OfflineData
from bot.conversations.offline_link import LinkData
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.forms.spec import Turn
from bot.i18n import Texts
from bot.keyboards.common import with_home
from bot.middlewares.access import staff_router
from bot.services import offline
from bot.services.context import AppContext
from bot.services.identity import Actor

router = staff_router("offline_application", permission="basic")


@router.message(Command("offline"))
async def offline_command(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await state.clear()
    if not await offline.programs(ctx, actor):
        await message.answer(t("offline.no_programs"))
        return
    intro = t("offline.intro")
    await forms.begin(message, state, ctx, t, actor, FlowName.OFFLINE, OfflineData(), intro=intro)


async def _registered(message: Message, turn: Turn[Any]) -> None:
    """The registered application's number and the participant's one-time link."""
    data, t, bot = turn.data, turn.t, message.bot
    assert bot is not None
    me = await bot.me()
    payload = f"{offline.LINK_PREFIX}{data.link_token}"
    link = f"https://t.me/{me.username}?start={payload}" if me.username else ""
    text = t(
        "offline.registered",
        id=data.app_id,
        name=data.name,
        program=data.program_name,
        link=link,
        payload=payload,
    )
    await bot.send_message(message.chat.id, text, reply_markup=with_home(t))


forms.EXITS[offline_application.REGISTERED] = _registered


async def link_hook(
    message: Message, payload: str, actor: Actor, t: Texts, state: FSMContext, ctx: AppContext
) -> bool:
    """``/start link_<token>`` (after the consent): asks to confirm, then links."""
    if not payload.startswith(offline.LINK_PREFIX):
        return False
    if actor.is_staff or actor.is_center:
        await message.answer(t("error.link.not_participant"))
        return True
    token = payload.removeprefix(offline.LINK_PREFIX)[:64]
    await forms.begin(message, state, ctx, t, actor, FlowName.OFFLINE_LINK, LinkData(token=token))
    return True


if link_hook not in onboarding.payload_hooks:
    onboarding.payload_hooks.append(link_hook)
