"""Certificates: only the support center may approve; rejection with a reason; re-request."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.domain.errors import DomainError
from bot.keyboards.selection import CertCenterCB
from bot.services import certificates, survey
from bot.services.identity import Actor, Role
from bot.storage.models import AuditLog, Certificate
from tests.e2e.chain import staff_actor, unlock_staff
from tests.factories import make_application, make_participant, program_id
from tests.world import CENTER, PARTICIPANT, STAFF, World


async def _requested(world: World) -> tuple[int, int]:
    """A completed participant with a submitted survey who asked for a certificate."""
    pid = await program_id(world.ctx, "intern")
    participant = await make_participant(world.ctx, PARTICIPANT, name="김청년")
    aid = await make_application(world.ctx, participant, pid, state="completed")
    own = Actor(PARTICIPANT, Role.PARTICIPANT, "ko")
    for question in survey.survey().questions:
        await survey.save_answer(
            world.ctx, own, aid, question.key, 4 if question.kind == "scale" else None
        )
    await survey.submit(world.ctx, own, aid)
    cid = await certificates.request(world.ctx, own, aid)
    return aid, cid


async def _status(world: World, cid: int) -> str:
    async with world.ctx.db.session() as session:
        cert = await session.get(Certificate, cid)
        assert cert is not None
        return cert.status


async def test_staff_cannot_approve_a_certificate(world: World) -> None:
    await unlock_staff(world)
    _, cid = await _requested(world)
    staff = world.user(STAFF)
    await staff.send("/certificates")
    await staff.expect()  # refused by the gate
    assert not any("수료증 발급 신청" in (m.text or "") for m in staff.messages)

    # a crafted callback, as if the staff member had the center's button
    await staff.send("/help")
    await staff.expect("사용할 수 있는 명령")
    message = [m for m in staff.chat.visible() if m.from_bot][-1]
    data = CertCenterCB(act="approve", cid=cid).pack()
    record = world.playground.press_callback(staff.chat, message, data)
    answer = await staff.wait_callback_answer(record.id)
    assert answer.get("show_alert")
    assert await _status(world, cid) == "requested"

    # the service refuses on its own too, and both attempts are audited
    actor = await staff_actor(world)
    with pytest.raises(DomainError) as error:
        await certificates.approve(world.ctx, actor, cid)
    assert error.value.code == "access.center_only"
    with pytest.raises(DomainError):
        await certificates.reject(world.ctx, actor, cid, "권한 없음")
    assert await _status(world, cid) == "requested"
    async with world.ctx.db.session() as session:
        refused = (
            await session.scalars(
                select(AuditLog).where(AuditLog.outcome == "refused", AuditLog.actor_id == STAFF)
            )
        ).all()
    actions = {row.action for row in refused}
    assert "cert.approve" in actions and "cert.reject" in actions
    assert any(
        row.action == "access.refused" and data in str((row.after or {}).get("input"))
        for row in refused
    )


async def test_center_rejects_with_a_reason_and_the_participant_asks_again(
    world: World,
) -> None:
    await unlock_staff(world)
    aid, cid = await _requested(world)
    center = world.user(CENTER)
    await center.send("/certificates")
    await center.expect("1건 대기")
    await center.click("1. 김청년")
    await center.expect("본인 응답")
    await center.click("반려")
    await center.expect("반려하는 사유")
    await center.send("수료 처리일을 운영기관에 확인해 주세요.")
    await center.expect("신청을 반려하고")
    assert await _status(world, cid) == "rejected"

    person = world.user(PARTICIPANT)
    notice = await person.expect("반려되었습니다")
    assert "수료 처리일을 운영기관에 확인해 주세요." in notice.text
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


async def test_certificate_needs_the_survey_first(world: World) -> None:
    pid = await program_id(world.ctx, "intern")
    participant = await make_participant(world.ctx, PARTICIPANT, name="김청년")
    await make_application(world.ctx, participant, pid, state="completed")
    person = world.user(PARTICIPANT)
    await person.send("/certificate")
    await person.expect("먼저 만족도 조사에 참여해 주세요")
    await person.click("📝 만족도 조사: ")
    await person.expect("모두 9문항")
