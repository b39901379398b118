"""Issue 4: the review desk — certify, hold (participant resubmits), return; agency scope;
two staff deciding one card; the status history."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.keyboards.staff import InboxCB, ReviewCB
from bot.storage.models import (
    Application,
    ApplicationEvent,
    AuditLog,
    OutboxMessage,
    StoredFile,
)
from tests.e2e.staff_support import open_card as _open
from tests.e2e.staff_support import other_agency, submitted_application
from tests.factories import grant_second_factor, program_id
from tests.world import CENTER, HEAD, PARTICIPANT, PARTICIPANT_2, STAFF, World


async def _state(world: World, app_id: int) -> str:
    async with world.ctx.db.session() as session:
        app = await session.get(Application, app_id)
        assert app is not None
        return app.state


async def test_certify_hold_resubmit_and_return(world: World) -> None:
    await grant_second_factor(world.ctx, STAFF)
    intern = await program_id(world.ctx, "intern")
    project = await program_id(world.ctx, "project")
    first = await submitted_application(world, intern, PARTICIPANT, name="김청년")
    async with world.ctx.db.session() as session:
        resume = StoredFile(
            kind="resume",
            file_name="이력서.pdf",
            mime_type="application/pdf",
            size=12,
            sha256="0" * 64,
            content=b"%PDF-1.4 cv",
            owner_telegram_id=PARTICIPANT,
        )
        session.add(resume)
        await session.flush()
        app = await session.get(Application, first)
        assert app is not None
        app.resume_file_id = resume.id
    second = await submitted_application(world, project, PARTICIPANT_2, name="이지원")
    participant, participant_2 = world.user(PARTICIPANT), world.user(PARTICIPANT_2)
    staff = world.user(STAFF)

    await staff.send("/inbox")
    box = await staff.expect("인증 대기 신청 2건")
    assert "IT 사무지원 인턴형 일경험: 1건" in box.text
    assert "지역 ESG 데이터 프로젝트형 일경험: 1건" in box.text
    assert box.buttons[0][0].startswith(f"#{first} ")  # oldest first
    await staff.click(f"#{first} ")
    sent = await staff.expect_document()
    assert sent.file_name == "이력서.pdf" and await staff.download(sent) == b"%PDF-1.4 cv"
    card = await staff.expect(f"신청 #{first}")
    assert "이력서: 첨부됨" in card.text
    assert "김청년" in card.text and "2000-05-17" in card.text
    assert "공식 기록으로 확인 필요" in card.text and "고용보험 가입 이력" in card.text
    assert "자기소개" in card.text and "성실하게 참여하겠습니다." in card.text
    await staff.click("✅ 인증")
    await staff.expect("인증했습니다")
    told = await participant.expect("인증되었습니다")
    assert "IT 사무지원 인턴형 일경험" in told.text

    # hold with a quick-pick reason; the participant fixes and resubmits
    await _open(staff, second)
    pressed = staff.last
    assert pressed is not None
    await staff.click("⏸ 보류")
    await staff.expect("보류하는 사유")
    await staff.click("자기소개를 더 구체적으로")
    done = await staff.expect("보류했습니다")
    assert f"신청 #{second}를 보류했습니다" in (done.text or "")
    card = await staff.expect(f"신청 #{second} · 보류")  # the pressed card, brought up to date
    assert card.message_id == pressed.message_id and card.event == "edit"
    assert card.buttons[0] == ["✅ 인증", "↩️ 반려", "↶ 되돌리기"]
    held = await participant_2.expect("보류되었습니다")
    assert "자기소개를 더 구체적으로 보완해 주세요." in held.text
    assert await _state(world, second) == "held"
    await participant_2.click("신청서 보완하기")
    await participant_2.expect("보류된 신청 고치기")
    await participant_2.click("고쳐서 다시 제출")
    await participant_2.expect("다시 제출했습니다")
    assert await _state(world, second) == "submitted"

    # back in the inbox; returned with a typed reason
    await _open(staff, second)
    await staff.click("↩️ 반려")
    confirm = await staff.expect(f"신청 #{second} · 인증대기")  # 반려 is final: confirm first
    assert confirm.buttons[0] == ["↩️ 반려하기 (사유 입력)", "◀ 취소"]
    assert await _state(world, second) == "submitted"
    await staff.click("↩️ 반려하기 (사유 입력)")
    await staff.expect("반려하는 사유")
    await staff.send("모집 대상 지역이 아닙니다.")
    await staff.expect("반려했습니다")
    returned = await participant_2.expect("반려되었습니다")
    assert "모집 대상 지역이 아닙니다." in returned.text

    async with world.ctx.db.session() as session:
        actions = (
            await session.scalars(
                select(ApplicationEvent.action)
                .where(ApplicationEvent.application_id == second)
                .order_by(ApplicationEvent.id)
            )
        ).all()
        assert actions == ["factory", "hold", "resubmit", "return"]
        audits = (
            await session.scalars(
                select(AuditLog.action).where(AuditLog.entity_id.in_([str(first), str(second)]))
            )
        ).all()
        assert {"application.certify", "application.hold", "application.return"} <= set(audits)
    assert await _state(world, first) == "certified"
    assert await _state(world, second) == "returned"

    # the history, for the agency's staff and for the center
    await staff.send(f"/history {second}")
    history = await staff.expect(f"신청 #{second} 처리 이력")
    assert "보류" in history.text and "모집 대상 지역이 아닙니다." in history.text
    assert "박담당" in history.text
    await grant_second_factor(world.ctx, CENTER)
    center = world.user(CENTER)
    await center.send(f"/history {second}")
    await center.expect("보완 재제출")


async def test_other_agency_card_is_refused_and_audited(world: World) -> None:
    await grant_second_factor(world.ctx, STAFF)
    _, foreign_program = await other_agency(world)
    foreign = await submitted_application(world, foreign_program, None, name="타기관신청자")
    staff = world.user(STAFF)
    await staff.send("/inbox")
    box = await staff.expect("인증 대기")
    assert "타기관신청자" not in box.text and not box.buttons
    anchor = next(m for m in reversed(staff.chat.visible()) if m.from_bot)

    # crafted callback data: open the card, and decide it
    for data in (
        InboxCB(action="open", app=foreign).pack(),
        ReviewCB(action="certify", app=foreign, v=1).pack(),
    ):
        record = world.playground.press_callback(staff.chat, anchor, data)
        answer = await staff.wait_callback_answer(record.id)
        # the same alert as any button that does not parse: nothing learnt about what exists
        assert "이 버튼은 더 이상 유효하지 않습니다" in answer["text"]
    await staff.quiet()  # the alert only: nothing posted in the chat
    await staff.send(f"/history {foreign}")  # a typed command still says why
    await staff.expect("다른 운영기관")

    assert await _state(world, foreign) == "submitted"
    async with world.ctx.db.session() as session:
        refused = (
            await session.scalars(
                select(AuditLog).where(
                    AuditLog.outcome == "refused",
                    AuditLog.reason == "access.agency",
                    AuditLog.entity_id == str(foreign),
                )
            )
        ).all()
        assert {r.action for r in refused} == {
            "review.open",
            "application.certify",
            "application.history",
        }
        assert all(r.actor_id == STAFF for r in refused)


async def test_two_staff_decide_one_card_first_wins(world: World) -> None:
    await grant_second_factor(world.ctx, STAFF)
    await grant_second_factor(world.ctx, HEAD)
    app_id = await submitted_application(world, await program_id(world.ctx, "intern"), PARTICIPANT)
    staff, head = world.user(STAFF), world.user(HEAD)
    await _open(staff, app_id)
    await _open(head, app_id)
    one, two = await asyncio.gather(staff.click("✅ 인증"), head.click("✅ 인증"))
    answers = [
        (await staff.wait_callback_answer(one))["text"],
        (await head.wait_callback_answer(two))["text"],
    ]
    assert sorted("이미" in a for a in answers) == [False, True], answers
    loser = answers[0] if "이미" in answers[0] else answers[1]
    assert "님이" in loser and "처리했습니다" in loser
    async with world.ctx.db.session() as session:
        certified = await session.scalar(
            select(func.count(ApplicationEvent.id)).where(
                ApplicationEvent.application_id == app_id, ApplicationEvent.action == "certify"
            )
        )
        assert certified == 1
        notices = await session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.chat_id == PARTICIPANT, OutboxMessage.kind == "application.certified"
            )
        )
        assert notices == 1
        app = await session.get(Application, app_id)
        assert app is not None and app.state == "certified" and app.version == 2


async def test_a_decided_card_tells_who_decided(world: World) -> None:
    await grant_second_factor(world.ctx, STAFF)
    await grant_second_factor(world.ctx, HEAD)
    app_id = await submitted_application(world, await program_id(world.ctx, "intern"), PARTICIPANT)
    staff, head = world.user(STAFF), world.user(HEAD)
    await _open(staff, app_id)
    await _open(head, app_id)
    await staff.click("⏸ 보류")
    await staff.expect("보류하는 사유")
    await staff.send("연락처를 확인할 수 없습니다.")
    await staff.expect("보류했습니다")
    query = await head.click("↩️ 반려")
    told = await head.wait_callback_answer(query)
    assert "이미 박담당님이" in told["text"] and "보류" in told["text"]  # said once, as an alert
    card = await head.expect(f"신청 #{app_id} · 보류")  # and the card shows what it is now
    assert card.event == "edit" and "↶ 되돌리기" not in str(card.buttons)
    await head.quiet()
    assert await _state(world, app_id) == "held"
