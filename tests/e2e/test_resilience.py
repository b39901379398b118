"""A refused Bot API call never leaves a person without an answer (bot/telegram/resilience.py,
bot/handlers/errors.py), tested with the playground's fault injection."""

from __future__ import annotations

from bot.telegram.resilience import split_text, strip_html
from tests.world import STAFF, World


async def test_a_429_on_a_reply_is_waited_out(world: World) -> None:
    world.playground.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1
    )
    staff = world.user(STAFF)
    await staff.send("/help")
    await staff.expect("사용할 수 있는 명령", timeout=8)
    refused = [c for c in world.playground.calls_of("sendMessage") if not c.ok]
    assert [c.error_code for c in refused] == [429]


async def test_markup_refused_falls_back_to_plain_text(world: World) -> None:
    world.playground.fail_next(
        "sendMessage",
        400,
        'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0',
    )
    staff = world.user(STAFF)
    await staff.send("/help")
    reply = await staff.expect("사용할 수 있는 명령")
    assert "<b>" not in reply.text and not reply.entities
    last_ok = [c for c in world.playground.calls_of("sendMessage") if c.ok][-1]
    assert not last_ok.params.get("parse_mode")


async def test_a_too_long_message_is_split_and_delivered(world: World) -> None:
    world.playground.fail_next("sendMessage", 400, "Bad Request: message is too long")
    staff = world.user(STAFF)
    await staff.send("/help")
    await staff.expect("사용할 수 있는 명령")


async def test_a_failed_handler_still_answers_politely(world: World) -> None:
    # the reply itself is refused (as if the chat vanished for a moment): the error handler
    # logs it and tells the person instead of going silent
    world.playground.fail_next("sendMessage", 400, "Bad Request: chat not found")
    staff = world.user(STAFF)
    await staff.send("/help")
    await staff.expect("문제가 생겼습니다")


def test_split_text_keeps_lines_and_limits() -> None:
    text = "\n".join(f"{i:04d} " + "가" * 95 for i in range(100))  # 100 lines of 100 chars
    parts = split_text(text, 4096)
    assert all(len(p) <= 4096 for p in parts)
    assert "\n".join(parts) == text
    assert split_text("x" * 5000, 4096) == ["x" * 4096, "x" * 904]


def test_strip_html() -> None:
    assert strip_html("<b>굵게</b> &amp; <i>기울임</i>") == "굵게 & 기울임"
