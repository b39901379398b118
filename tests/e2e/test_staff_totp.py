"""Issue 4: the second factor — expiry, wrong codes lock for 15 minutes, a used code is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.storage.models import AuditLog, SecondFactor
from tests.e2e.staff_support import code_at
from tests.factories import grant_second_factor
from tests.world import STAFF, World


def wrong_code(world: World, secret: str) -> str:
    valid = {code_at(world, secret, s) for s in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


async def test_expired_factor_asks_for_a_code_and_restores(world: World) -> None:
    world.clock.set(datetime.now(UTC))
    secret = await grant_second_factor(world.ctx, STAFF)
    staff = world.user(STAFF)
    await staff.send("/inbox")
    await staff.expect("인증 대기 중인 신청이 없습니다")
    world.clock.advance(timedelta(hours=world.settings.totp_valid_hours, minutes=1))
    await staff.send("/inbox")
    await staff.expect("다시 확인해야 합니다")
    await staff.expect("6자리 인증번호")
    await staff.send("12ab")
    await staff.expect("숫자 6자리")
    await staff.send(code_at(world, secret))
    done = await staff.expect("인증했습니다")
    assert "이어서 합니다" in done.text
    await staff.expect("인증 대기 중인 신청이 없습니다")  # the stopped /inbox, carried out


async def test_five_wrong_codes_lock_for_fifteen_minutes(world: World) -> None:
    world.clock.set(datetime.now(UTC))
    secret = await grant_second_factor(world.ctx, STAFF)
    world.clock.advance(timedelta(hours=13))
    staff = world.user(STAFF)
    await staff.send("/inbox")
    await staff.expect("6자리 인증번호")
    for left in (4, 3, 2, 1):
        await staff.send(wrong_code(world, secret))
        await staff.expect(f"남은 시도 {left}회")
    await staff.send(wrong_code(world, secret))
    await staff.expect("15분 뒤에 다시")
    # even the right code is refused while locked
    await staff.send("/inbox")
    await staff.expect("분 뒤에 다시 시도")
    world.clock.advance(timedelta(minutes=15, seconds=1))
    await staff.send("/inbox")
    await staff.expect("6자리 인증번호")
    await staff.send(code_at(world, secret))
    await staff.expect("인증했습니다")
    async with world.ctx.db.session() as session:
        factor = await session.get(SecondFactor, STAFF)
        assert factor is not None and factor.failures == 0 and factor.locked_until is None
        refused = (
            await session.scalars(
                select(AuditLog).where(
                    AuditLog.action == "totp.verify", AuditLog.outcome == "refused"
                )
            )
        ).all()
        assert len(refused) == 5


async def test_a_used_code_cannot_be_used_again(world: World) -> None:
    world.clock.set(datetime.now(UTC))
    secret = await grant_second_factor(world.ctx, STAFF)
    world.clock.advance(timedelta(hours=13))
    staff = world.user(STAFF)
    await staff.send("/otp")
    await staff.expect("6자리 인증번호")
    used = code_at(world, secret)
    await staff.send(used)
    await staff.expect("인증했습니다")
    await staff.send("/otp")
    await staff.expect("6자리 인증번호")
    await staff.send(used)
    await staff.expect("이미 사용한 인증번호")
    world.clock.advance(timedelta(seconds=30))
    await staff.send(code_at(world, secret))
    await staff.expect("인증했습니다")


async def test_gate_keeps_an_interrupted_flow(world: World) -> None:
    world.clock.set(datetime.now(UTC))
    secret = await grant_second_factor(world.ctx, STAFF)
    staff = world.user(STAFF)
    await staff.send("/offline")
    await staff.expect("어느 프로그램")
    world.clock.advance(timedelta(hours=13))
    await staff.click("IT 사무지원")
    await staff.expect("6자리 인증번호")
    await staff.send(code_at(world, secret))
    await staff.expect("이어서 합니다")
    await staff.expect("성명")  # the stopped press (the program) was carried out
