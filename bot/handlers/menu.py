"""The command menu per role — the one place that says which commands each role has."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.i18n import LANGUAGES, Texts, Translator
from bot.services.identity import Actor, Role

log = logging.getLogger(__name__)

_COMMON_TAIL = ["menu", "lang", "help", "cancel"]

_STAFF = [
    "start",
    "inbox",
    "offline",
    "newprogram",
    "myprograms",  # intake and programs
    "select",
    "confirm",
    "assign",
    "progress",
    "surveys",  # selection to completion
    "history",
    "export",
    "reports",
    "hours",
    "verify",
    "otp",
]
ROLE_COMMANDS: dict[Role, list[str]] = {
    Role.PARTICIPANT: [
        "start",
        "programs",
        "status",
        "withdraw",
        "survey",
        "certificate",
        "privacy",
        "verify",
        "join",
        *_COMMON_TAIL,
    ],
    Role.STAFF: [*_STAFF, *_COMMON_TAIL],
    Role.HEAD: [*_STAFF, "handover", *_COMMON_TAIL],
    Role.CENTER: [
        "start",
        "approvals",
        "programreviews",
        "certificates",
        "dashboard",
        "reports",
        "jobs",
        "history",
        "export",
        "verify",
        "otp",
        *_COMMON_TAIL,
    ],
}


def commands_for(role: Role) -> list[str]:
    return ROLE_COMMANDS[role]


def _bot_commands(t: Texts, role: Role) -> list[BotCommand]:
    return [BotCommand(command=name, description=t(f"cmd.{name}")) for name in commands_for(role)]


async def set_default_commands(bot: Bot, translator: Translator) -> None:
    for lang in LANGUAGES:
        t = translator.bind(lang)
        await bot.set_my_commands(
            _bot_commands(t, Role.PARTICIPANT),
            scope=BotCommandScopeDefault(),
            language_code=None if lang == "ko" else lang,
        )


async def set_commands_for(bot: Bot, actor: Actor, t: Texts) -> None:
    """The chat's menu follows the caller's role (a failure here must not break the answer)."""
    try:
        await bot.set_my_commands(
            _bot_commands(t, actor.role), scope=BotCommandScopeChat(chat_id=actor.telegram_id)
        )
    except TelegramAPIError as exc:
        log.warning("could not set commands for %s: %s", actor.telegram_id, exc)


def help_text(t: Texts, role: Role) -> str:
    lines = [t("help.title")]
    lines += [f"/{name} — {t(f'cmd.{name}')}" for name in commands_for(role)]
    return "\n".join(lines)
