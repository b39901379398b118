"""The framework floor: a bare aiogram echo bot, long polling like the real bot does.

``python -m bench.echo_bot`` with BOT_TOKEN and TELEGRAM_API_BASE in the environment. No
database, no middlewares, no FSM storage: each text message is answered with the same text.
"""

from __future__ import annotations

import asyncio
import os
import signal

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message


async def main() -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_BASE"]))
    bot = Bot(os.environ["BOT_TOKEN"], session=session)
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: asyncio.ensure_future(dp.stop_polling()))
    try:
        # same polling settings as bot.runtime.BotRuntime._poll
        await dp.start_polling(bot, handle_signals=False, polling_timeout=10)
    finally:
        await bot.session.close()


if __name__ == "__main__":
    asyncio.run(main())
