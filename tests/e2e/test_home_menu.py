"""The home menu (issue 16): one message per role with live counts that change as work is done;
its buttons open the commands' screens behind the same gates; free text offers a program search."""

from __future__ import annotations

from tests.e2e.participant_steps import consent
from tests.e2e.staff_support import submitted_application
from tests.factories import grant_second_factor, program_id
from tests.world import CENTER, PARTICIPANT, PARTICIPANT_2, STAFF, World


async def test_participant_menu_counts_follow_their_applications(world: World) -> None:
    person = world.user(PARTICIPANT)
    await consent(person)
    menu = person.last
    assert menu is not None and "모집 중 2개" in str(menu.buttons)
    assert "📋 내 신청 0건" in str(menu.buttons)
    await submitted_application(world, await program_id(world.ctx, "intern"), PARTICIPANT)
    await person.send("/menu")
    menu = await person.expect("무엇을 할까요?")
    assert "📋 내 신청 1건" in str(menu.buttons)
    await person.click("📋 내 신청 1건")
    status = await person.expect("내 신청 현황")
    assert "검토 중" in status.text


async def test_staff_menu_refreshes_in_place_and_opens_the_inbox(world: World) -> None:
    await grant_second_factor(world.ctx, STAFF)
    staff = world.user(STAFF)
    await staff.send("/menu")
    menu = await staff.expect("오늘 처리할 일입니다")
    assert "📥 검토 대기 0건" in str(menu.buttons)
    app_id = await submitted_application(
        world, await program_id(world.ctx, "intern"), PARTICIPANT_2, name="이지원"
    )
    await staff.click("🔄 새로고침")
    edited = await staff.expect("오늘 처리할 일입니다")
    assert edited.message_id == menu.message_id and edited.event == "edit"
    assert "📥 검토 대기 1건" in str(edited.buttons)
    await staff.click("📥 검토 대기 1건")
    box = await staff.expect("인증 대기 신청 1건")
    assert box.buttons[0][0].startswith(f"#{app_id} ")


async def test_staff_counts_wait_for_the_second_factor(world: World) -> None:
    staff = world.user(STAFF)  # no second factor yet
    await staff.send("/menu")
    menu = await staff.expect("오늘 처리할 일입니다")
    assert "인증번호(OTP)를 확인한 뒤에" in menu.text
    assert "건" not in str(menu.buttons)
    await staff.click("📥 검토 대기 신청")
    await staff.expect("2단계 인증")  # the gate of /inbox, not a way around it


async def test_center_menu_and_start_greet_with_the_menu(world: World) -> None:
    await grant_second_factor(world.ctx, CENTER)
    center = world.user(CENTER)
    await center.send("/start")
    menu = await center.expect("통합지원센터")
    assert "🏠 메뉴" in menu.text and "👤 계정 승인 0건" in str(menu.buttons)
    await center.click("⏰ 예약 작업")
    await center.expect("예약 작업")


async def test_free_text_offers_a_program_search_and_the_menu(world: World) -> None:
    person = world.user(PARTICIPANT)
    await consent(person)
    await person.send("ESG")
    found = await person.expect("「ESG」로 찾은 모집 중 프로그램 1개")
    assert any("ESG" in b for row in found.buttons for b in row)
    await person.click("ESG")
    await person.expect("「신청하기」를 누르면")
    await person.send("없는프로그램")
    none = await person.expect("찾은 모집 중 프로그램이 없습니다")
    assert ["🏠 메뉴"] in none.buttons
    await person.click("🏠 메뉴")
    await person.expect("무엇을 할까요?")


async def test_staff_menu_opens_selection_and_programs(world: World) -> None:
    await grant_second_factor(world.ctx, STAFF)
    staff = world.user(STAFF)
    await staff.send("/menu")
    await staff.expect("오늘 처리할 일입니다")
    await staff.click("✅ 선발하기")
    await staff.expect("프로그램을 고르세요")
    await staff.click("📁 내 프로그램")
    await staff.expect("우리 기관 프로그램")
