"""The conversation skeleton end to end: the real bot, the playground, HTTP in between."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.models import AuditLog, Participant, User
from tests.world import CENTER, HEAD, PARTICIPANT, STAFF, World


async def test_new_participant_start_asks_consent_first(world: World) -> None:
    person = world.user(555001, "새청년")
    await person.send("/start")
    intro = await person.expect("청년일경험지원사업")
    assert "환영" in intro.text
    notice = await person.expect("개인정보 수집·이용 동의")
    assert notice.buttons  # agree / decline
    async with world.ctx.db.session() as session:  # nothing collected before consent
        assert (
            await session.scalar(select(Participant).where(Participant.telegram_id == 555001))
            is None
        )
    await person.click("✅ 필수 항목에 동의합니다")
    await person.expect("선택 항목 동의")
    await person.click("받지 않음")
    await person.expect("동의 내용을 저장했습니다")
    async with world.ctx.db.session() as session:
        participant = await session.scalar(
            select(Participant).where(Participant.telegram_id == 555001)
        )
        assert participant is not None and participant.consent_required_at is not None
        assert participant.consent_optional is False
        assert await session.scalar(select(AuditLog).where(AuditLog.action == "consent.give"))


async def test_declining_collects_nothing(world: World) -> None:
    person = world.user(555002, "거절청년")
    await person.send("/start")
    await person.expect("개인정보 수집·이용 동의")
    await person.click("동의하지 않습니다")
    await person.expect("정보는 수집하지 않았습니다")
    async with world.ctx.db.session() as session:
        assert (
            await session.scalar(select(Participant).where(Participant.telegram_id == 555002))
            is None
        )


async def test_start_greets_each_role(world: World) -> None:
    staff = world.user(STAFF)
    await staff.send("/start")
    assert "담당자님" in (await staff.expect("안녕하세요")).text
    head = world.user(HEAD)
    await head.send("/start")
    await head.expect("기관장님")
    center = world.user(CENTER)
    await center.send("/start")
    await center.expect("통합지원센터")


async def test_help_lists_the_callers_commands(world: World) -> None:
    staff = world.user(STAFF)
    await staff.send("/help")
    text = (await staff.expect("사용할 수 있는 명령")).text
    assert "/cancel" in text and "/lang" in text


async def test_cancel_from_inside_a_flow(world: World) -> None:
    person = world.user(555003, "취소청년")
    await person.send("/start")
    await person.expect("개인정보 수집·이용 동의")
    await person.send("/cancel")
    await person.expect("취소했습니다")
    await person.send("/cancel")
    await person.expect("취소할 진행 중인 단계가 없습니다")
    # the consent button of the cancelled flow is stale now
    query = await person.click("✅ 필수 항목에 동의합니다")
    answer = await person.wait_callback_answer(query)
    assert "더 이상 유효하지 않습니다" in answer["text"]


async def test_free_text_where_a_button_is_expected_asks_again(world: World) -> None:
    person = world.user(555004, "텍스트청년")
    await person.send("/start")
    await person.expect("개인정보 수집·이용 동의")
    await person.send("네 동의해요")
    await person.expect("아래 버튼으로 선택해")
    await person.expect("개인정보 수집·이용 동의")  # the earlier prompt loses its buttons
    again = await person.expect("개인정보 수집·이용 동의")  # and is asked again, with them
    assert again.buttons


async def test_restart_in_the_middle_of_a_flow_resumes(world: World) -> None:
    person = world.user(555005, "재시작청년")
    await person.send("/start")
    await person.expect("개인정보 수집·이용 동의")
    await person.click("✅ 필수 항목에 동의합니다")
    await person.expect("선택 항목 동의")
    await world.restart()
    await person.click("소식 받기에 동의")
    await person.expect("동의 내용을 저장했습니다")
    async with world.ctx.db.session() as session:
        participant = await session.scalar(
            select(Participant).where(Participant.telegram_id == 555005)
        )
        assert participant is not None and participant.consent_optional is True


async def test_language_switch(world: World) -> None:
    person = world.user(PARTICIPANT)
    await person.send("/lang")
    await person.expect("Choose your language")
    await person.click("English")
    await person.expect("I will speak English")
    await person.send("/help")
    await person.expect("Available commands")
    async with world.ctx.db.session() as session:
        assert (await session.get(User, PARTICIPANT)).language == "en"


async def test_english_telegram_client_gets_english(world: World) -> None:
    person = world.user(555006, "Alex", language_code="en")
    await person.send("/start")
    await person.expect("Welcome to the")


async def test_unknown_text_and_stale_buttons_are_answered(world: World) -> None:
    staff = world.user(STAFF)
    await staff.send("안녕?")
    offer = await staff.expect("무엇을 도와드릴까요?")
    assert offer.buttons == [["🏠 메뉴"]]


async def test_commands_menu_is_set_per_role(world: World) -> None:
    center = world.user(CENTER)
    await center.send("/start")
    await center.expect("통합지원센터")
    calls = [c for c in world.playground.calls if c.method == "setMyCommands"]
    assert any((c.params.get("scope") or {}).get("chat_id") == CENTER for c in calls if c.ok), (
        calls
    )
