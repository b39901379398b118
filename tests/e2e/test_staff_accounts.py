"""Issue 4: staff account requests — /join, approval or rejection, OTP enrolment."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.models import AuditLog, CenterOperator, SecondFactor, StaffAccount, StoredFile
from tests.e2e.staff_support import enrol, join_request, staff_account, submitted_application
from tests.factories import grant_second_factor, program_id
from tests.world import CENTER, World

NEWCOMER = 600001


async def test_request_rejected_with_reason(world: World) -> None:
    await grant_second_factor(world.ctx, CENTER)
    async with world.ctx.db.session() as session:
        session.add(CenterOperator(telegram_id=3002, name="한센터"))
    await grant_second_factor(world.ctx, 3002)
    other = world.user(3002, "한센터")  # the chat exists before the notice is sent
    person = world.user(NEWCOMER, "김신규")
    await join_request(person)

    center = world.user(CENTER)
    notice = await center.expect("새 운영기관 담당자 계정 신청")
    assert "김신규" in notice.text and "010-5555-1234" in notice.text
    await center.click("반려")
    confirm = await center.expect("계정 신청 #")  # 반려 is final: the card asks to confirm
    assert confirm.buttons == [["↩️ 반려하기 (사유 입력)", "◀ 취소"]]
    await center.click("반려하기 (사유 입력)")
    await center.expect("반려하는 사유")
    await center.send("보안서약서에 서명이 없습니다.")
    await center.expect("반려했습니다")
    card = await center.expect("· 반려 ·")  # the pressed card shows the decision, no buttons
    assert card.event == "edit" and not card.buttons

    told = await person.expect("반려되었습니다")
    assert "보안서약서에 서명이 없습니다." in told.text and "/join" in told.text

    # the other approver comes too late: the first decision wins
    await other.expect("새 운영기관 담당자 계정 신청")
    query = await other.click("승인")
    answer = await other.wait_callback_answer(query)
    assert "이미 정센터님이 반려했습니다" in answer["text"]

    account = await staff_account(world, NEWCOMER)
    assert account is not None and account.status == "rejected"
    assert account.reject_reason == "보안서약서에 서명이 없습니다."
    assert account.project_name.endswith("_[민간] 청년일경험지원사업_(사)청년일경험지원협회")
    assert account.duties == ["basic"] and account.permissions == ["basic"]
    async with world.ctx.db.session() as session:
        pledge = await session.get(StoredFile, account.pledge_file_id)
        assert pledge is not None and pledge.content == b"%PDF-1.4 signed pledge"
        assert await session.scalar(select(AuditLog).where(AuditLog.action == "staff.reject"))
    # a rejected person may ask again
    await person.send("/join")
    await person.expect("성명")


async def test_approved_staff_enrols_otp_and_certifies(world: World) -> None:
    await grant_second_factor(world.ctx, CENTER)
    app_id = await submitted_application(world, await program_id(world.ctx, "intern"), None)
    person = world.user(NEWCOMER, "김신규")
    await join_request(person)
    center = world.user(CENTER)
    await center.expect("새 운영기관 담당자 계정 신청")
    await center.click("신청서·보안서약서 보기")
    pledge = await center.expect_document()
    assert await center.download(pledge) == b"%PDF-1.4 signed pledge"
    await center.expect("계정 신청 #")
    await center.click("승인")
    confirm = await center.expect("계정 신청 #")
    assert confirm.buttons == [["✅ 승인하기 (확정)", "◀ 취소"]]
    assert (await staff_account(world, NEWCOMER)).status == "pending"  # nothing yet
    await center.click("승인하기 (확정)")
    card = await center.expect("· 승인 ·")
    assert card.message_id == confirm.message_id and not card.buttons
    await center.expect("승인했습니다")

    await person.expect("승인되었습니다")
    await person.click("2단계 인증(OTP) 등록")
    secret = await enrol(world, person)
    # shown once: the key and the QR image are taken off the chat after the first code
    assert not any(secret in (m.text or "") or m.is_photo for m in person.messages)
    async with world.ctx.db.session() as session:
        factor = await session.get(SecondFactor, NEWCOMER)
        assert factor is not None and factor.enrolled_at and factor.verified_at
        assert b"JBSW" not in factor.secret_enc  # stored encrypted

    await person.send("/inbox")
    await person.expect("인증 대기 신청 1건")
    await person.click(f"#{app_id}")
    await person.expect("공식 기록으로 확인 필요")
    await person.click("✅ 인증")
    await person.expect("인증했습니다")
    async with world.ctx.db.session() as session:
        account = await session.scalar(
            select(StaffAccount).where(StaffAccount.telegram_id == NEWCOMER)
        )
        assert account is not None and account.status == "approved"
        assert await session.scalar(select(AuditLog).where(AuditLog.action == "staff.approve"))


async def test_center_operator_enrols_through_the_gate(world: World) -> None:
    center = world.user(CENTER)
    await center.send("/approvals")
    await enrol(world, center)
    await center.expect("승인 대기 중인 계정 신청이 없습니다")  # /approvals, carried out


async def test_participant_is_pointed_to_join(world: World) -> None:
    person = world.user(NEWCOMER, "김신규")
    await person.send("/inbox")
    await person.expect("/join")
