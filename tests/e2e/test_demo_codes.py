"""The playground's demo staff and center come enrolled with known authenticator secrets (the
page shows the code); plain demo data (``seed-demo``, the test world) enrols nobody."""

from __future__ import annotations

import pyotp

from bot.services.demo import DEMO_TOTP_SECRETS, enrol_demo_factors
from bot.services.second_factor import is_enrolled
from tests.world import CENTER, HEAD, STAFF, World


async def test_demo_staff_pass_the_second_factor_with_the_shown_code(world: World) -> None:
    assert not await is_enrolled(world.ctx, STAFF)  # seed_demo alone enrols nobody
    assert await enrol_demo_factors(world.ctx) == 3
    assert await enrol_demo_factors(world.ctx) == 0  # idempotent: restarts keep the factor
    for who in (STAFF, HEAD, CENTER):
        assert await is_enrolled(world.ctx, who)
    staff = world.user(STAFF)
    await staff.send("/inbox")
    await staff.expect("6자리 인증번호")  # asked for a code, no enrolment QR
    code = pyotp.TOTP(DEMO_TOTP_SECRETS[STAFF]).at(world.clock())
    await staff.send(code)
    await staff.expect("인증했습니다")
    await staff.send("/inbox")
    await staff.expect("인증 대기 중인 신청이 없습니다")
