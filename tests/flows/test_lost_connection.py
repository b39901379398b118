"""The database drops the bot's connections (a PostgreSQL restart, a failover): the next update
is answered as usual. The pool does not ping at every checkout; a connection found dead
invalidates the pool, and the update's opening read is tried once more on a new connection."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.flows.harness import Flows

PERSON = 7_300_301
CONSENT = "개인정보 수집·이용 동의"
AGREE = "✅ 필수 항목에 동의합니다"


async def _drop_connections(db_url: str) -> int:
    """Terminate every other session on the bot's database, as a server restart would."""
    url = make_url(db_url)
    conn = await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, database=url.database
    )
    try:
        return int(
            await conn.fetchval(
                "select count(pg_terminate_backend(pid)) from pg_stat_activity "
                "where datname = current_database() and pid <> pg_backend_pid()"
            )
        )
    finally:
        await conn.close()


async def test_an_update_after_the_database_dropped_the_connections(
    flows: Flows, db_url: str
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite has no server that could drop a connection")
    person = flows.user(PERSON, "재접속청년")
    await person.send("/start")
    await person.expect(CONSENT)
    assert await _drop_connections(db_url) >= 1  # the pooled connection the update used
    await person.click(AGREE)
    await person.expect("선택 항목 동의")
    await person.click("받지 않음")
    await person.expect("동의 내용을 저장했습니다")
