"""What every service call needs: the database, settings, the cipher and a clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from bot.config import Settings
from bot.services.crypto import Cipher
from bot.storage.engine import Database


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class AppContext:
    db: Database
    settings: Settings
    cipher: Cipher
    clock: Callable[[], datetime] = field(default=_now)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """Today in the program's time zone (Asia/Seoul by default)."""
        return self.clock().astimezone(self.settings.tz).date()


async def open_context(
    settings: Settings, clock: Callable[[], datetime] | None = None
) -> AppContext:
    """Connect and migrate; the returned context owns the database (``ctx.db.dispose()``)."""
    from bot.storage.migrate import upgrade_schema  # alembic loads only where it is needed

    db = Database(settings.database_url)
    await upgrade_schema(db)
    ctx = AppContext(db=db, settings=settings, cipher=Cipher(settings.encryption_key()))
    if clock is not None:
        ctx.clock = clock
    return ctx
