"""Fixtures: a playground server and a real aiogram bot polling it, all in the test's loop."""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import CommandStart
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.playground.server import Identity, PlaygroundServer

TOKEN = "123456789:PLAYGROUND-test-token"
# the staff identity's demo authenticator (the page shows its current code)
DEMO_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


def echo_router(received: dict[str, Any]) -> Router:
    """A tiny bot: /start with a button, echo, a document back, and reading uploads."""
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        name = html.escape(message.from_user.first_name if message.from_user else "")
        payload = (message.text or "").partition(" ")[2]
        button = InlineKeyboardButton(text="확인", callback_data="ok")
        await message.answer(
            f"<b>환영합니다</b>, {name}!" + (f" ({html.escape(payload)})" if payload else ""),
            parse_mode="HTML",
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]]),
        )

    @router.callback_query(F.data == "ok")
    async def confirmed(query: CallbackQuery) -> None:
        await query.answer("확인됨")
        if isinstance(query.message, Message):
            await query.message.edit_text("확인 완료")

    @router.message(F.document)
    async def got_document(message: Message, bot: Bot) -> None:
        assert message.document is not None
        file = await bot.get_file(message.document.file_id)
        assert file.file_path is not None
        buffer = await bot.download_file(file.file_path)
        assert buffer is not None
        received["document"] = buffer.read()
        await message.answer(f"받음: {message.document.file_name} {len(received['document'])}")

    @router.message(F.text == "파일")
    async def send_file(message: Message) -> None:
        await message.answer_document(
            BufferedInputFile(b"%PDF-1.4 report", filename="보고서.pdf"), caption="보고서입니다"
        )

    @router.message(F.contact)
    async def got_contact(message: Message) -> None:
        assert message.contact is not None
        await message.answer(f"번호 {message.contact.phone_number} / {message.contact.user_id}")

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    return router


@pytest.fixture
async def server() -> AsyncIterator[PlaygroundServer]:
    srv = PlaygroundServer(
        TOKEN,
        identities=[
            Identity(1001, "김참여", "참여자"),
            Identity(2001, "이담당", "기관 담당자", totp_secret=DEMO_SECRET),
        ],
    )
    await srv.start()
    yield srv
    await srv.stop()


@pytest.fixture
async def bot(server: PlaygroundServer) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(server.base_url))
    instance = Bot(TOKEN, session=session)
    yield instance
    await instance.session.close()


@pytest.fixture
def received() -> dict[str, Any]:
    return {}


@pytest.fixture
async def polling(
    server: PlaygroundServer, bot: Bot, received: dict[str, Any]
) -> AsyncIterator[Dispatcher]:
    dp = Dispatcher()
    dp.include_router(echo_router(received))
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=5))
    for _ in range(200):
        if server.updates.polls_started:
            break
        await asyncio.sleep(0.01)
    yield dp
    await dp.stop_polling()
    await asyncio.wait_for(task, 5)
