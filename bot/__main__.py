"""``python -m bot …``: run | db upgrade/downgrade | seed-demo | health (more per feature)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys

from bot.config import Settings, load_settings


def _setup_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    quiet = max(logging.WARNING, logging.root.level)  # per-update and per-migration chatter
    logging.getLogger("aiogram.event").setLevel(quiet)
    logging.getLogger("alembic").setLevel(quiet)


async def _db(settings: Settings, action: str, revision: str) -> None:
    from bot.storage import migrate
    from bot.storage.engine import Database
    from bot.storage.migrate import upgrade_schema  # PostgreSQL: one migrating process at a time

    db = Database(settings.database_url)
    try:
        await (upgrade_schema if action == "upgrade" else migrate.downgrade)(db, revision)
    finally:
        await db.dispose()
    print(f"database {action} to {revision}: done")


async def _seed(settings: Settings) -> None:
    from bot.services.context import open_context
    from bot.services.demo import seed_demo

    ctx = await open_context(settings)
    try:
        added = await seed_demo(ctx)
    finally:
        await ctx.db.dispose()
    print("demo data loaded" if added else "demo data already present")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (the local playground when BOT_TOKEN is not set)")
    db = sub.add_parser("db", help="database migrations")
    db.add_argument("action", choices=["upgrade", "downgrade"])
    db.add_argument("revision", nargs="?", default=None)
    sub.add_parser("seed-demo", help="load the demo agency, staff, center and programs")
    from bot.cli_admin import add_admin_parser

    add_admin_parser(sub)
    from bot.cli_export import add_export_parser

    add_export_parser(sub)
    sub.add_parser(
        "health", help="exit 0 when healthy (webhook: the worker's /healthz; else DB and Redis)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = load_settings()
    _setup_logging(settings)
    if args.command == "run":
        from bot.runtime import serve

        asyncio.run(serve(settings))
    elif args.command == "db":
        revision = args.revision or ("heads" if args.action == "upgrade" else "base")
        asyncio.run(_db(settings, args.action, revision))
    elif args.command == "seed-demo":
        asyncio.run(_seed(settings))
    elif args.command == "export":
        from bot.cli_export import run_export

        return run_export(settings, args)
    elif args.command == "admin":
        from bot.cli_admin import run_admin

        return run_admin(settings, args)
    elif args.command == "health":
        from bot.webhook import probe_health

        result = asyncio.run(probe_health(settings))
        print(json.dumps(result, ensure_ascii=False))
        return 0 if result["status"] == "ok" else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
