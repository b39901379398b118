"""Issue 4: /handover — the head passes a leaver's programs and contact roles to a successor."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.models import AuditLog, Program, SecondFactor, StaffAccount
from tests.factories import grant_second_factor
from tests.world import HEAD, STAFF, World

SUCCESSOR = 2003


async def _add_successor(world: World) -> None:
    async with world.ctx.db.session() as session:
        leaver = await session.scalar(
            select(StaffAccount).where(StaffAccount.telegram_id == STAFF)
        )
        assert leaver is not None
        session.add(
            StaffAccount(
                telegram_id=SUCCESSOR,
                agency_id=leaver.agency_id,
                name="오후임",
                project_name=leaver.project_name,
                position="staff",
                email="next@example.org",
                mobile="010-2000-2003",
                phone="02-6000-2003",
                duties=["basic"],
                permissions=["basic", "program"],
                status="approved",
            )
        )


async def test_handover_moves_items_and_ends_access(world: World) -> None:
    await _add_successor(world)
    await grant_second_factor(world.ctx, HEAD)
    await grant_second_factor(world.ctx, STAFF)
    staff, successor = world.user(STAFF), world.user(SUCCESSOR, "오후임")

    # only the head may hand over
    await staff.send("/handover")
    await staff.expect("기관장만")

    head = world.user(HEAD)
    await head.send("/handover")
    await head.expect("떠나는 담당자")
    await head.click("박담당")
    await head.expect("후임자")
    await head.click("◀ 이전")
    await head.expect("떠나는 담당자")
    await head.click("박담당")
    await head.expect("후임자")
    await head.click("오후임")
    plan = await head.expect("인수인계 내용을 확인")
    assert "IT 사무지원 인턴형 일경험" in plan.text and "지역 ESG 데이터" in plan.text
    await head.click("인수인계 실행")
    await head.expect("인수인계를 마쳤습니다")

    await staff.expect("접근 권한이 종료")
    await successor.expect("인수인계받았습니다")
    await staff.send("/inbox")
    await staff.expect("/join")  # no longer staff

    async with world.ctx.db.session() as session:
        leaver = await session.scalar(
            select(StaffAccount).where(StaffAccount.telegram_id == STAFF)
        )
        assert leaver is not None and leaver.ended_at is not None
        assert not leaver.is_project_manager
        new = await session.scalar(
            select(StaffAccount).where(StaffAccount.telegram_id == SUCCESSOR)
        )
        assert new is not None and new.is_project_manager
        programs = (await session.scalars(select(Program))).all()
        assert programs and all(p.created_by == SUCCESSOR for p in programs)
        assert all(p.contact_name == "오후임" for p in programs)
        assert all(p.contact_phone == "02-6000-2003" for p in programs)
        assert await session.get(SecondFactor, STAFF) is None
        entries = (
            await session.scalars(select(AuditLog).where(AuditLog.action == "staff.handover"))
        ).all()
        assert {(e.actor_id, e.outcome) for e in entries} == {(STAFF, "refused"), (HEAD, "ok")}
        done = next(e for e in entries if e.outcome == "ok")
        assert done.after and done.after["project_manager"] is True
