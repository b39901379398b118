"""Run the playground alone: ``python -m bot.playground [--port 8081] [--token T]``.

The bot then runs separately with ``TELEGRAM_API_BASE=http://127.0.0.1:8081`` and the same token;
``python -m bot playground`` is the usual way, running both in one process.
"""

from __future__ import annotations

import argparse
import asyncio
import logging

from .server import PlaygroundServer

DEFAULT_TOKEN = "123456789:PLAYGROUND"


async def serve(args: argparse.Namespace) -> None:
    server = PlaygroundServer(args.token, rate_limit=args.rate_limit)
    await server.start(args.host, args.port)
    print(f"Bot API base: {server.base_url}   chat page: {server.page_url}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.playground")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--rate-limit", action="store_true", help="enforce Telegram's limits")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
