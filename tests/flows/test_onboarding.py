"""The consents on the form engine, and the action they interrupted: carried out once after them
(a /start deep link, a 📝 신청하기 press), never twice, never when declined or long ago."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.storage.models import Participant, Program
from tests.flows.harness import Flows, FlowUser

AGREE = "✅ 필수 항목에 동의합니다"
NEWS_NO = "받지 않음"


async def _participant(flows: Flows, telegram_id: int) -> Participant | None:
    async with flows.ctx.db.session() as session:
        return await session.scalar(
            select(Participant).where(Participant.telegram_id == telegram_id)
        )


def _sent(flows: Flows, contains: str) -> int:
    return sum(contains in str(r.text) for r in flows.requests("SendMessage"))


async def _to_apply_press(person: FlowUser) -> None:
    await person.send("/programs")
    await person.click("IT 사무지원")
    await person.expect("「신청하기」를 누르면")
    await person.click("📝 신청하기")
    await person.expect("개인정보 수집·이용 동의")


async def test_a_deep_link_runs_once_after_the_consents(flows: Flows) -> None:
    async with flows.ctx.db.session() as session:
        pid = await session.scalar(select(Program.id).where(Program.type == "project"))
    person = flows.user(555401, "링크청년")
    await person.send(f"/start prog_{pid}")
    await person.expect("청년일경험지원사업")  # the intro first
    assert await _participant(flows, 555401) is None  # nothing collected before the consent
    await person.send(AGREE)  # typing the button's label is pressing it
    await person.expect("선택 항목 동의")
    row = await _participant(flows, 555401)
    assert row is not None and row.consent_required_at is not None
    await person.click("소식 받기에 동의")
    await person.expect("동의 내용을 저장했습니다")
    await person.expect("지역 ESG 데이터 프로젝트형 일경험")  # the /start command, carried out
    await person.quiet()
    assert _sent(flows, "지역 ESG 데이터 프로젝트형 일경험") == 1
    row = await _participant(flows, 555401)
    assert row is not None and row.consent_optional is True


async def test_the_apply_press_is_done_once_after_the_consents(flows: Flows) -> None:
    person = flows.user(555402, "신청청년")
    await _to_apply_press(person)
    await person.click(AGREE)
    await person.expect("선택 항목 동의")
    _, second = await person.click_twice(NEWS_NO)  # a double tap on the last consent
    await person.expect("동의 내용을 저장했습니다")
    await person.expect("생년월일을 입력해 주세요")  # the press, carried out: the check starts
    assert "더 이상 유효하지 않습니다" in person.answer_of(second)
    assert _sent(flows, "생년월일을 입력해 주세요") == 1
    row = await _participant(flows, 555402)
    assert row is not None and row.consent_required_at is not None and not row.consent_optional
    state = await flows.dp.storage.get_state(_key(flows, 555402))
    assert state is not None and state.startswith("form:apply:")  # in the application now


async def test_declined_or_long_ago_the_press_is_not_carried_out(flows: Flows) -> None:
    person = flows.user(555403, "거절청년")
    await _to_apply_press(person)
    await person.click("동의하지 않습니다")
    await person.expect("동의하지 않으셨습니다")
    await person.quiet()
    assert _sent(flows, "생년월일을 입력해 주세요") == 0
    assert await _participant(flows, 555403) is None

    flows.clock.set(datetime.now(UTC))
    await _to_apply_press(person)
    flows.clock.advance(timedelta(hours=2))  # back to it much later: a stale action
    await person.click(AGREE)
    await person.click(NEWS_NO)
    menu = await person.expect("동의 내용을 저장했습니다")
    assert "무엇을 할까요?" in menu.text  # the menu instead of the old press
    await person.quiet()
    assert _sent(flows, "생년월일을 입력해 주세요") == 0


def _key(flows: Flows, telegram_id: int) -> object:
    from aiogram.fsm.storage.base import StorageKey

    return StorageKey(bot_id=flows.bot.id, chat_id=telegram_id, user_id=telegram_id)
