"""seed-demo fills an empty database once; a second run adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.config import Settings
from bot.services.context import open_context
from bot.services.demo import seed_demo
from bot.storage.models import Agency, HostCompany, Job, Program, StaffAccount


async def test_seed_demo_is_idempotent(settings: Settings) -> None:
    ctx = await open_context(settings)
    try:
        assert await seed_demo(ctx) is True
        assert await seed_demo(ctx) is False
        async with ctx.db.session() as session:
            count = lambda model: session.scalar(select(func.count()).select_from(model))  # noqa: E731
            assert await count(Agency) == 1
            assert await count(StaffAccount) == 2
            assert await count(HostCompany) == 2
            assert await count(Job) == 2
            types = set(await session.scalars(select(Program.type)))
            assert types == {"intern", "project"}
    finally:
        await ctx.db.dispose()
