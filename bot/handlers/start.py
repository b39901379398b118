"""/start: greet by role with the home menu; a new participant goes through the consents first
(a /start with a payload — a program, a link — is carried out after them)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.conversations import onboarding
from bot.handlers import home
from bot.handlers import onboarding as consent_steps
from bot.handlers.certificates import send_verification
from bot.handlers.menu import set_commands_for
from bot.i18n import Texts
from bot.services import users
from bot.services.certificates import VERIFY_PREFIX
from bot.services.context import AppContext
from bot.services.identity import Actor, Role

router = Router(name="start")


@router.message(CommandStart())
async def start(
    message: Message,
    command: CommandObject,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
    bot: Bot,
) -> None:
    await state.clear()
    await set_commands_for(bot, actor, t)
    payload = command.args
    if payload and payload.startswith(VERIFY_PREFIX):  # anyone may check a certificate
        await send_verification(message, ctx, t, payload.removeprefix(VERIFY_PREFIX))
        return
    if actor.role is Role.PARTICIPANT and not await users.has_required_consent(
        ctx, actor.telegram_id
    ):
        await consent_steps.begin(message, state, ctx, t, actor, keep=bool(payload))
        return
    if payload:
        for hook in onboarding.payload_hooks:
            if await hook(message, payload, actor, t, state, ctx):
                return
    name = message.from_user.first_name if message.from_user else ""
    await home.show(message, ctx, actor, t, lead=t(f"start.{actor.role.value}", name=name))
