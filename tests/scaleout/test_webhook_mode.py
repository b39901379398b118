"""Webhook mode in the test's loop: the real bot behind its aiohttp server, the playground POSTing.

Runs on the suite's database (SQLite, or PostgreSQL with TEST_DATABASE_URL).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.__main__ import main
from bot.config import Settings
from bot.playground.api_misc import WEBHOOK_ACTIVE
from bot.runtime import serve
from bot.storage.models import UpdateInbox
from bot.webhook import probe_health
from tests.scaleout.conftest import free_port, make_settings
from tests.scaleout.helpers import bot_api, new_bot_texts, post_update, text_update, until
from tests.scaleout.proxy import RoundRobinProxy
from tests.world import PARTICIPANT, World

SECRET = "test-Secret_0123456789"
HELP = "사용할 수 있는 명령"


def webhook_settings(db_url: str, tmp_path: Path, public_url: str, port: int) -> Settings:
    return make_settings(
        db_url,
        tmp_path,
        webhook_url=public_url,
        webhook_secret=SECRET,
        webhook_host="127.0.0.1",
        webhook_port=port,
    )


@pytest.fixture
async def hook_world(db_url: str, tmp_path: Path) -> AsyncIterator[World]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    world = World(webhook_settings(db_url, tmp_path, url, port))
    await world.start(seed=True)
    try:
        yield world
    finally:
        await world.stop()


async def _processed(world: World, update_id: int) -> int:
    """Recorded in the inbox (once, however often it arrives)."""
    async with world.ctx.db.session() as session:
        return await session.scalar(select(func.count()).where(UpdateInbox.update_id == update_id))


async def test_updates_arrive_by_webhook_not_polling(hook_world: World) -> None:
    playground = hook_world.playground
    assert playground.webhook == {"url": hook_world.settings.webhook_url, "secret_token": SECRET}
    person = hook_world.user(PARTICIPANT)
    await person.send("/help")
    await person.expect(HELP)
    await until(lambda: bool(playground.webhook_delivery.delivered()), what="a delivery")
    assert not playground.calls_of("getUpdates")  # the bot never polled
    status, body = await bot_api(playground, "getUpdates")
    assert (status, body["description"]) == (409, WEBHOOK_ACTIVE)
    async with aiohttp.ClientSession() as http:
        url = f"http://127.0.0.1:{hook_world.settings.webhook_port}/healthz"
        async with http.get(url) as response:
            assert response.status == 200
            assert await response.json() == {"status": "ok", "database": "ok"}


async def test_wrong_or_missing_secret_is_refused_and_nothing_handled(hook_world: World) -> None:
    person = hook_world.user(PARTICIPANT)
    url = f"http://127.0.0.1:{hook_world.settings.webhook_port}/telegram/hook"
    update = text_update(PARTICIPANT, person.first_name, "/help")
    before = len(person.chat.events)
    for secret in ("wrong-secret", None, SECRET + "x", ""):
        assert (await post_update(url, update, secret))[0] == 401
    # recording happens before the response: had it been accepted, it would show by now
    assert await _processed(hook_world, update["update_id"]) == 0
    assert len(person.chat.events) == before
    assert await post_update(url, update, SECRET) == (200, "{}")
    assert await _processed(hook_world, update["update_id"]) == 1
    await person.expect(HELP)
    # the same update again (Telegram redelivers): accepted, not handled a second time
    assert await post_update(url, update, SECRET) == (200, "{}")
    assert sum(HELP in text for text in new_bot_texts(person.chat.events[before:])) == 1
    assert await _processed(hook_world, update["update_id"]) == 1


async def test_update_redelivered_after_an_error_is_handled_once(
    db_url: str, tmp_path: Path
) -> None:
    """The worker handles the update but the answer is lost (502 from the proxy): the playground
    sends it again, like Telegram; the person still gets one answer."""
    port = free_port()
    proxy = RoundRobinProxy([f"http://127.0.0.1:{port}"], fail_after_handling=1)
    await proxy.start()
    world = World(webhook_settings(db_url, tmp_path, proxy.url("/hook"), port))
    try:
        await world.start(seed=True)
        delivery = world.playground.webhook_delivery
        person = world.user(PARTICIPANT)
        await person.send("/help")
        await person.expect(HELP)
        update_id = world.playground.updates.next_id - 1
        await until(lambda: update_id in delivery.delivered(), what="the redelivery")
        attempts = [a for a in delivery.attempts if a.update_id == update_id]
        assert [a.status for a in attempts] == [502, 200]
        assert [f.status for f in proxy.forwards] == [200, 200]  # the worker saw it twice
        assert sum(HELP in text for text in new_bot_texts(person.chat.events)) == 1
        assert await _processed(world, update_id) == 1
    finally:
        await world.stop()
        await proxy.stop()


async def test_stopping_a_worker_keeps_the_webhook_and_polling_takes_it_back(
    hook_world: World,
) -> None:
    playground = hook_world.playground
    await hook_world.stop_bot()
    assert playground.webhook["url"] == hook_world.settings.webhook_url  # others keep serving
    assert not playground.calls_of("deleteWebhook")
    # the same bot configured for polling removes the webhook and polls
    hook_world.settings = hook_world.settings.model_copy(update={"webhook_url": None})
    hook_world.ctx.settings = hook_world.settings
    await hook_world._start_bot()
    assert playground.webhook["url"] == ""
    person = hook_world.user(PARTICIPANT)
    await person.send("/help")
    await person.expect(HELP)


async def test_bad_webhook_secret_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}",
        tmp_path,
        webhook_url="https://bot.example.org/hook",
        webhook_secret="has spaces/and+plus",
    )
    with pytest.raises(SystemExit) as exit_info:
        await serve(settings)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("configuration error: WEBHOOK_SECRET:") and "\n" not in err
    assert not (tmp_path / "x.sqlite3").exists()  # stopped before touching anything


async def test_health_probe_of_each_mode(hook_world: World) -> None:
    """``python -m bot health``: webhook mode asks the worker, polling checks the database."""
    settings = hook_world.settings
    assert await probe_health(settings) == {"status": "ok", "database": "ok"}
    polling = settings.model_copy(update={"webhook_url": None})
    assert await probe_health(polling) == {"status": "ok", "database": "ok"}
    nobody = settings.model_copy(update={"webhook_port": free_port()})
    assert (await probe_health(nobody))["status"] == "unavailable"


def test_health_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'h.sqlite3'}")
    for name in ("WEBHOOK_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    assert main(["health"]) == 0
    assert json.loads(capsys.readouterr().out) == {"status": "ok", "database": "ok"}
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens there
    assert main(["health"]) == 1
    assert json.loads(capsys.readouterr().out)["redis"] == "unavailable"
