"""The SIGKILL scenario of tests/e2e/test_crash_replay.py with FSM state in Redis (and the
fleet lock of bot/updates/pipeline.py taken in Redis)."""

from __future__ import annotations

from pathlib import Path

from bot.runtime import FLEET_LOCK_SECONDS
from tests.e2e.test_crash_replay import killed_at_several_moments
from tests.scaleout.conftest import make_settings


async def test_killed_with_redis_state_every_update_answered_once(
    pg_url: str, redis_url: str, tmp_path: Path
) -> None:
    settings = make_settings(pg_url, tmp_path, redis_url=redis_url)
    # a killed worker's lock on the person expires after FLEET_LOCK_SECONDS: replies may wait
    await killed_at_several_moments(settings, tmp_path, wait=FLEET_LOCK_SECONDS + 20)
