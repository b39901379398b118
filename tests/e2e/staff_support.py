"""Helpers of the staff-feature tests (issue 4): the /join script, OTP codes, a second agency."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pyotp
from sqlalchemy import select

from bot.playground.driver import PlaygroundUser
from bot.services.demo import DEMO_AGENCY
from bot.storage.models import Agency, Program, StaffAccount
from tests.factories import make_application, make_participant
from tests.world import World

ELIGIBLE_ANSWERS: dict[str, Any] = {
    "birth_date": "2000-05-17",
    "korean_national": True,
    "employed_with_insurance": False,
    "business_owner": False,
    "unemployment_benefits": False,
    "job_seeking_allowance": False,
    "national_employment_support": False,
    "participations_this_year": 0,
    "voluntary_dropouts": 0,
    "other_government_program": False,
    "relative_of_host_owner": None,
    "past_fraud": False,
}


def eligibility(on: date) -> dict[str, Any]:
    """``Application.eligibility`` as the participant feature writes it."""
    return {"answers": dict(ELIGIBLE_ANSWERS), "on": on.isoformat(), "year": on.year}


def code_at(world: World, secret: str, steps: int = 0) -> str:
    """The TOTP code of ``secret`` at the bot's clock (+ ``steps`` × 30 s)."""
    return pyotp.TOTP(secret).at(world.clock() + timedelta(seconds=30 * steps))


def secret_from(text: str | None) -> str:
    found = re.search(r"설정 키 \(직접 입력용\): ([A-Z2-7]+)", text or "")
    assert found, f"no key in {text!r}"
    return found.group(1)


async def join_request(
    person: PlaygroundUser, *, name: str = "김신규", position: str = "민간위탁 담당자"
) -> None:
    """Walk /join from start to 「신청하기」 (the demo agency, a valid form)."""
    await person.send("/join")
    await person.expect("계정 신청")
    await person.expect("성명")
    await person.send(name)
    await person.expect("법인명")
    await person.click(DEMO_AGENCY)
    await person.expect("사업명은")
    await person.click(position)
    await person.expect("이메일 주소")
    await person.send("new.staff@example.org")
    await person.expect("휴대전화번호")
    await person.send("010-5555-1234")
    await person.expect("사무실 직통번호")
    await person.send("02-555-1234")
    await person.expect("팩스번호")
    await person.click("팩스 없음")
    await person.expect("사업담당자")
    await person.click("아니요")
    await person.expect("담당업무")
    await person.click("기본업무")
    await person.expect("담당업무")  # the toggle edits the message; wait before the next tap
    await person.click("선택 완료")
    await person.expect("필요한 권한")
    await person.click("[민간위탁] 기본 권한")
    await person.expect("필요한 권한")
    await person.click("선택 완료")
    await person.expect("정보 수신")
    await person.click("동의하지 않음")
    await person.expect("보안서약서")
    await person.send_document("보안서약서.pdf", b"%PDF-1.4 signed pledge", "application/pdf")
    await person.expect("받았습니다")
    await person.expect("입력하신 내용을 확인")
    await person.click("신청하기")
    await person.expect("접수했습니다")


async def enrol(world: World, person: PlaygroundUser) -> str:
    """Finish an enrolment the bot has started (key shown); returns the secret."""
    await person.expect("2단계 인증(OTP) 등록")
    qr = await person.expect_document()
    assert qr.is_photo
    assert (await person.download(qr)).startswith(b"\x89PNG")
    secret = secret_from((await person.expect("설정 키")).text)
    await person.send(code_at(world, secret))
    await person.expect("2단계 인증을 등록했습니다")
    return secret


async def other_agency(world: World, staff_tid: int = 2101) -> tuple[int, int]:
    """A second agency with an approved staff member and an approved program.

    Returns (agency id, program id)."""
    async with world.ctx.db.session() as session:
        agency = Agency(corporate_name="(재)다른운영기관", region="부산")
        session.add(agency)
        await session.flush()
        session.add(
            StaffAccount(
                telegram_id=staff_tid,
                agency_id=agency.id,
                name="남담당",
                project_name="2026_[민간] 청년일경험지원사업_(재)다른운영기관",
                position="staff",
                email="b@example.org",
                mobile="010-7000-2101",
                phone="051-700-2101",
                duties=["basic"],
                permissions=["basic", "program"],
                status="approved",
            )
        )
        program = Program(
            agency_id=agency.id, type="intern", name="부산 인턴형 일경험", status="approved"
        )
        session.add(program)
        await session.flush()
        return agency.id, program.id


async def submitted_application(
    world: World, program_id: int, telegram_id: int | None, name: str = "홍길동"
) -> int:
    participant = await make_participant(world.ctx, telegram_id, name=name)
    return await make_application(
        world.ctx,
        participant,
        program_id,
        eligibility=eligibility(world.ctx.today()),
        eligibility_result={
            "eligible": True,
            "notes": [],
            "needs_check": [
                {"code": "elig.check.employment_insurance", "params": {}},
                {"code": "elig.check.relative", "params": {}},
            ],
        },
    )


async def staff_account(world: World, telegram_id: int) -> StaffAccount | None:
    async with world.ctx.db.session() as session:
        return await session.scalar(
            select(StaffAccount)
            .where(StaffAccount.telegram_id == telegram_id)
            .order_by(StaffAccount.id.desc())
        )


async def open_card(staff: PlaygroundUser, app_id: int) -> None:
    """/inbox → the application's card."""
    await staff.send("/inbox")
    await staff.expect("인증 대기 신청")
    await staff.click(f"#{app_id} ")
    await staff.expect(f"신청 #{app_id}")
