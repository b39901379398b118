"""What a Telegram message brings to a flow: the message read as an :class:`Answer` (a secret
one deleted first), files read through the Bot API, and the pressed prompt (whether the next
screen fits in its place, its text without the how-to-use hint). The renderer is
``bot/forms/telegram.py``."""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import Message

from bot.forms.engine import Engine
from bot.forms.screens import Progress, Screen
from bot.forms.spec import Answer, Contact, FileRef, Step


class TelegramFiles:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def read(self, ref: FileRef) -> bytes:
        content = await self.bot.download(ref.id)
        assert content is not None
        return content.read()


def fits_in_place(screen: Screen, p: Progress, message: Message) -> bool:
    """The pressed prompt can become the next screen: it is the one on show, and the next screen
    is one question with nothing said before it (no notes, files, reply keyboard, pop-up)."""
    return (
        message.message_id == p.prompt
        and not (screen.end or screen.replace or screen.notes or screen.files)
        and screen.contact is None
        and screen.alert is None
        and not p.reply_keyboard
        and message.text is not None
    )


def without_hint(text: str, p: Progress, message: Message) -> str | None:
    """The pressed prompt's text without its how-to-use hint (None: it has none)."""
    if message.message_id == p.prompt and p.hint and text.endswith("\n" + p.hint):
        return text[: -len(p.hint) - 1]
    return None


async def answer_of(message: Message, engine: Engine) -> Answer:
    if message.contact is not None:
        contact = message.contact
        return Answer(contact=Contact(contact.phone_number, contact.user_id))
    if message.document is not None:
        d = message.document
        return Answer(file=FileRef(d.file_id, d.file_name, d.file_size, d.mime_type))
    if message.photo:
        largest = message.photo[-1]
        return Answer(file=FileRef(largest.file_id, None, largest.file_size, "image/jpeg", True))
    text = message.text
    step = None if engine.p.at.startswith("!") else engine.flow.item(engine.p.at)
    if text is not None and isinstance(step, Step) and step.secret:
        # the message must not stay in the chat: deleted first, never echoed
        try:
            await message.delete()
        except TelegramBadRequest:
            return Answer(text=text)
        return Answer(text=text, erased=True)
    return Answer(text=text)
