"""One update, two copies: the one replayed at start (recorded by a process that died before
finishing it) and the one the first ``getUpdates`` hands out again (its offset was never
confirmed). Through the real ``UpdatePipeline`` and Dispatcher: handled once.

And the documented exception: a process that died after the reply but before the update's
closing write has its step replayed — the reply goes out again, the change (and its audit row)
does not happen twice.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram import Bot
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from sqlalchemy import func, select

from bot.playground.driver import PlaygroundUser
from bot.storage import inbox
from bot.storage.models import AuditLog, Participant, UpdateInbox
from bot.updates.pipeline import UpdatePipeline
from tests.flows.harness import Flows

PERSON = 7_300_101
CONSENT = "개인정보 수집·이용 동의"
AGREE = "✅ 필수 항목에 동의합니다"
OPTIONAL = "선택 항목 동의"


async def _pressed_not_handled(flows: Flows) -> dict[str, Any]:
    """The person agrees; the update is recorded by a process that then died (never finished,
    never confirmed: Telegram still holds it)."""
    person = flows.user(PERSON, "재시작청년")
    await person.send("/start")
    await person.expect(CONSENT)
    await PlaygroundUser.click(person, AGREE)  # queued, not pumped
    raw = flows.playground.updates.pending.pop(0)
    await UpdatePipeline(flows.ctx, flows.dp, flows.bot).record([raw])
    await flows.restart()
    return raw


def _optional_screens(flows: Flows) -> int:
    """The optional consent shown: sent, or (a form step after a press) the pressed message
    edited into it."""
    shown = [*flows.requests("SendMessage"), *flows.requests("EditMessageText")]
    return sum(OPTIONAL in (getattr(r, "text", "") or "") for r in shown)


async def _facts(flows: Flows) -> tuple[int, int, int]:
    """(participants, consent audit rows, unfinished updates) of the person."""
    async with flows.ctx.db.session() as session:
        people = await session.scalar(
            select(func.count()).where(Participant.telegram_id == PERSON)
        )
        consents = await session.scalar(
            select(func.count()).where(
                AuditLog.action == "consent.give", AuditLog.actor_id == PERSON
            )
        )
        unfinished = await session.scalar(
            select(func.count()).where(UpdateInbox.finished_at.is_(None))
        )
    return int(people or 0), int(consents or 0), int(unfinished or 0)


class Gate:
    """Holds the first answerCallbackQuery until released: the update is inside its handler."""

    def __init__(self, flows: Flows) -> None:
        self.inside = asyncio.Event()
        self.release = asyncio.Event()
        self._make_request = flows.session.make_request
        flows.session.make_request = self  # type: ignore[method-assign]

    async def __call__(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        if type(method).__name__ == "AnswerCallbackQuery" and not self.inside.is_set():
            self.inside.set()
            await self.release.wait()
        return await self._make_request(bot, method, timeout)


@pytest.mark.parametrize("when", ["queued together", "while the replay is in its handler"])
async def test_the_replayed_and_the_polled_copy_of_one_update_are_handled_once(
    flows: Flows, when: str
) -> None:
    raw = await _pressed_not_handled(flows)
    gate = Gate(flows) if when != "queued together" else None
    pipeline = UpdatePipeline(flows.ctx, flows.dp, flows.bot)
    assert await pipeline.replay() == 1  # at start: the recorded, unfinished copy
    if gate is not None:
        await gate.inside.wait()
    # the first getUpdates (no offset) hands the same update out again
    await pipeline.record([raw])
    pipeline.schedule(raw, Update.model_validate(raw, context={"bot": flows.bot}))
    if gate is not None:
        gate.release.set()
    await pipeline.drain(30)
    assert _optional_screens(flows) == 1
    assert await _facts(flows) == (1, 1, 0)


async def test_a_step_replayed_after_its_reply_answers_again_but_changes_nothing_twice(
    flows: Flows, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = await _pressed_not_handled(flows)

    async def lost(*_: object) -> None:  # the process dies before the closing write commits
        raise asyncio.CancelledError

    with monkeypatch.context() as patch:
        patch.setattr(inbox, "finish", lost)
        pipeline = UpdatePipeline(flows.ctx, flows.dp, flows.bot)
        await pipeline.replay()
        await pipeline.drain(30)
    async with flows.ctx.db.session() as session:
        given = await session.scalar(
            select(Participant.consent_required_at).where(Participant.telegram_id == PERSON)
        )
    assert given is not None and _optional_screens(flows) == 1
    assert await _facts(flows) == (1, 1, 1)  # changed and audited; the update is unfinished

    await flows.restart()
    again = UpdatePipeline(flows.ctx, flows.dp, flows.bot)
    assert await again.replay() == 1
    await again.drain(30)
    assert _optional_screens(flows) == 2  # the documented duplicate reply
    assert await _facts(flows) == (1, 1, 0)  # no second audit row; finished now
    async with flows.ctx.db.session() as session:
        assert given == await session.scalar(
            select(Participant.consent_required_at).where(Participant.telegram_id == PERSON)
        )
    assert raw["update_id"]  # the same update both times
