"""Certificates: only the support center may approve (rejection with a reason: tests/flows)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.domain.errors import DomainError
from bot.keyboards.selection import CertCenterCB
from bot.services import certificates
from bot.storage.models import AuditLog
from tests.e2e.chain import certificate_status as _status
from tests.e2e.chain import requested_certificate as _requested
from tests.e2e.chain import staff_actor, unlock_staff
from tests.factories import make_application, make_participant, program_id
from tests.world import PARTICIPANT, STAFF, World


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


async def test_certificate_needs_the_survey_first(world: World) -> None:
    pid = await program_id(world.ctx, "intern")
    participant = await make_participant(world.ctx, PARTICIPANT, name="김청년")
    await make_application(world.ctx, participant, pid, state="completed")
    person = world.user(PARTICIPANT)
    await person.send("/certificate")
    await person.expect("먼저 만족도 조사에 참여해 주세요")
    await person.click("📝 만족도 조사: ")
    await person.expect("모두 9문항")
