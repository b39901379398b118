"""Interrupted actions resume: after the second factor, the command or button press that the
gate stopped is carried out once, without asking the person to repeat it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.storage.models import AuditLog, StaffAccount
from tests.e2e.staff_support import code_at, join_request, secret_from
from tests.flows.harness import Flows, lapsed_second_factor
from tests.world import CENTER, STAFF

NEWCOMER = 600001


async def test_the_stopped_command_runs_after_the_code(flows: Flows) -> None:
    secret = await lapsed_second_factor(flows, STAFF)
    staff = flows.user(STAFF)
    await staff.send("/inbox")
    await staff.expect("6자리 인증번호")
    await staff.send(code_at(flows, secret))  # type: ignore[arg-type]
    done = await staff.expect("인증했습니다")
    assert "이어서 합니다" in done.text and "다시 보내" not in done.text
    await staff.expect("인증 대기 중인 신청이 없습니다")  # /inbox, carried out
    await staff.quiet()


async def test_the_center_approval_is_done_once_after_enrolment(flows: Flows) -> None:
    person = flows.user(NEWCOMER, "김신규")
    await join_request(person)
    center = flows.user(CENTER)  # no second factor yet
    await center.send("/approvals")
    await center.expect("2단계 인증(OTP) 등록")  # the list is the interrupted action
    secret = secret_from((await center.expect("설정 키")).text)
    await center.send(code_at(flows, secret))  # type: ignore[arg-type]
    await center.expect("이어서 합니다")
    await center.expect("승인 대기 중인 계정 신청 1건")  # /approvals, carried out
    await center.click("김신규")
    await center.expect("계정 신청 #")
    flows.clock.advance(timedelta(hours=flows.settings.totp_valid_hours, minutes=1))
    await center.click("✅ 승인")  # the factor has expired meanwhile: stopped
    await center.expect("6자리 인증번호")
    async with flows.ctx.db.session() as session:
        account = await session.scalar(
            select(StaffAccount).where(StaffAccount.telegram_id == NEWCOMER)
        )
        assert account is not None and account.status == "pending"
    await center.send(code_at(flows, secret))  # type: ignore[arg-type]
    await center.expect("이어서 합니다")
    await center.expect("계정 신청 #")  # the press, carried out: the card asks to confirm
    await center.click("✅ 승인하기 (확정)")
    await center.expect("승인했습니다")
    async with flows.ctx.db.session() as session:
        account = await session.scalar(
            select(StaffAccount).where(StaffAccount.telegram_id == NEWCOMER)
        )
        assert account is not None and account.status == "approved"
        approvals = await session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "staff.approve")
        )
        assert approvals == 1
