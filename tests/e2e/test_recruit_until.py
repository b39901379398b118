"""Program cards (issue 16): the short card says until when a program recruits; staff set a
모집 마감일 on the program screen; after it the program takes no applications."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.errors import DomainError
from bot.services import applying, catalogue, home
from bot.services.identity import Actor, Role
from bot.storage.models import Program
from tests.e2e.participant_steps import consent
from tests.e2e.test_program_support import open_program as open_staff_program
from tests.factories import grant_second_factor, make_participant, program_id
from tests.world import PARTICIPANT, STAFF, World

NAME = "IT 사무지원 인턴형 일경험"


async def test_staff_set_the_last_day_and_the_card_follows(world: World) -> None:
    pid = await program_id(world.ctx, "intern")
    person = world.user(PARTICIPANT)
    await consent(person)
    await person.send(f"/start prog_{pid}")
    short = await person.expect(NAME)
    assert "까지 모집" in short.text  # rolling: until the day before the program starts
    assert short.buttons[0] == ["📝 신청하기"] and short.buttons[1][0].startswith("📄 자세히")

    await grant_second_factor(world.ctx, STAFF)
    staff = world.user(STAFF)
    await open_staff_program(staff, NAME[:8])
    await staff.click("📅 모집 마감일 정하기")
    await staff.expect("모집 마감일을 보내 주세요")
    yesterday = world.ctx.today() - timedelta(days=1)
    await staff.send(yesterday.isoformat())
    await staff.expect("오늘(")  # in the past: refused, asked again
    until = world.ctx.today() + timedelta(days=3)
    await staff.send(until.isoformat())
    await staff.expect(f"모집 마감일을 {until.isoformat()}로 정했습니다")
    summary = await staff.expect("모집방식")
    assert any(f"📅 모집 마감일: {until.isoformat()}" in b for row in summary.buttons for b in row)

    await person.send(f"/start prog_{pid}")
    card = await person.expect(NAME)
    assert f"{until.isoformat()}까지 모집" in card.text

    world.clock.advance(timedelta(days=4))
    await person.send(f"/start prog_{pid}")
    closed = await person.expect("모집 기간이 끝났습니다")
    assert not any("신청하기" in b for row in closed.buttons for b in row)
    participant = await make_participant(world.ctx, PARTICIPANT, name="김청년")
    with pytest.raises(DomainError) as refused:
        await applying.check_can_apply(
            world.ctx, Actor(PARTICIPANT, Role.PARTICIPANT, participant_id=participant), pid
        )
    assert refused.value.code == "apply.recruitment_over"


async def test_a_program_past_its_last_day_leaves_the_list_and_the_menu_count(
    world: World,
) -> None:
    """The catalogue lists and the home menu counts only programs a person can still apply to."""
    pid = await program_id(world.ctx, "intern")
    async with world.ctx.db.session() as session:
        program = await session.get(Program, pid)
        assert program is not None
        program.recruit_until = world.ctx.today() + timedelta(days=2)
    actor = Actor(PARTICIPANT, Role.PARTICIPANT)
    before = await home.participant_counts(world.ctx, actor)
    assert pid in [item.id for item in (await catalogue.list_programs(world.ctx)).items]

    world.clock.advance(timedelta(days=3))
    page = await catalogue.list_programs(world.ctx)
    assert pid not in [item.id for item in page.items]
    assert pid not in [item.id for item in await catalogue.search_programs(world.ctx, NAME[:6])]
    after = await home.participant_counts(world.ctx, actor)
    assert after.open_programs == before.open_programs - 1
