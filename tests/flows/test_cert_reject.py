"""Rejecting a certificate request with a reason (a form-engine step) through the real
dispatcher: refusals ask again, ◀ 이전 returns to the card, the participant is told (through
the outbox) and may ask again."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.domain.errors import DomainError
from bot.services import certificates
from bot.services.identity import Actor, Role
from bot.storage.models import OutboxMessage
from tests.e2e.chain import certificate_status as _status
from tests.e2e.chain import requested_certificate as _requested
from tests.e2e.chain import unlock_staff
from tests.flows.harness import Flows
from tests.world import CENTER, PARTICIPANT


async def test_center_rejects_with_a_reason_and_the_participant_asks_again(flows: Flows) -> None:
    world = flows
    await unlock_staff(world)
    aid, cid = await _requested(world)
    center = world.user(CENTER)
    await center.send("/certificates")
    await center.expect("1건 대기")
    await center.click("1. 김청년")
    await center.expect("본인 응답")
    await center.click("반려")
    await center.expect("반려하는 사유")
    await center.send_photo(b"photo")
    await center.expect("반려 사유를 글로 보내 주세요")
    await center.send("가" * 501)
    await center.expect("너무 깁니다")
    await center.click("◀ 이전")  # back to the request's card, nothing changed
    await center.expect("본인 응답")
    assert await _status(world, cid) == "requested"
    await center.click("반려")
    await center.expect("반려하는 사유")
    await center.send("수료 처리일을 운영기관에 확인해 주세요.")
    await center.expect("신청을 반려하고")
    await center.expect("수료증 발급 신청")  # the pending list again
    assert await _status(world, cid) == "rejected"

    async with world.ctx.db.session() as session:  # the participant is told (the outbox)
        notices = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.chat_id == PARTICIPANT)
            )
        ).all()
    assert any("수료 처리일을 운영기관에 확인해 주세요." in str(n.payload) for n in notices)
    person = world.user(PARTICIPANT)
    await person.send("/certificate")
    await person.expect("다시 신청할 수 있습니다")
    await person.click("🎓 수료증 신청: ")
    await person.expect("수료증 발급을 신청했습니다")
    assert await _status(world, cid) == "requested"
    await person.send("/certificate")
    await person.expect("통합지원센터에서 확인하고 있습니다")

    # a second request while one waits is refused politely
    with pytest.raises(DomainError) as error:
        await certificates.request(world.ctx, Actor(PARTICIPANT, Role.PARTICIPANT), aid)
    assert error.value.code == "cert.already_requested"
