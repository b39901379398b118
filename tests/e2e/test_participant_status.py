"""Participants: /status, /withdraw, and amending a held application from the staff notice."""

from __future__ import annotations

from sqlalchemy import select, update

from bot.services import outbox
from bot.storage.models import Application, ApplicationEvent, AuditLog, Program
from tests.e2e.participant_steps import ELIGIBLE_ANSWERS, expect_new
from tests.factories import make_application, make_participant, program_id
from tests.world import PARTICIPANT, PARTICIPANT_2, World

NEW_INTRO = "자기소개를 보완했습니다. 관련 경험: 학교 전산실 근로학생 1년, 헬프데스크 응대."


async def _held_application(world: World) -> int:
    pid = await program_id(world.ctx, "intern")
    participant = await make_participant(world.ctx, PARTICIPANT, name="김청년")
    return await make_application(
        world.ctx,
        participant,
        pid,
        state="held",
        last_reason="자기소개에 관련 경험을 적어 주세요.",
        eligibility={"answers": ELIGIBLE_ANSWERS, "on": "2026-11-01", "year": 2026},
    )


async def _notify(world: World, chat_id: int, app_id: int) -> None:
    """What the staff review desk sends with a hold: a message with the amend button."""
    async with world.ctx.db.session() as session:
        await outbox.enqueue(
            session,
            chat_id,
            "application.held",
            "status.title",
            buttons=[
                [
                    {
                        "key": "apply.resubmit",
                        "cb": "myapp",
                        "args": {"action": "amend", "app_id": app_id},
                    }
                ]
            ],
        )


async def test_withdraw_before_the_roster_is_confirmed(world: World) -> None:
    pid = await program_id(world.ctx, "intern")
    participant = await make_participant(world.ctx, PARTICIPANT)
    app_id = await make_application(world.ctx, participant, pid)
    person = world.user(PARTICIPANT)
    await person.send("/status")
    status = await person.expect("내 신청 현황")
    assert "검토 중" in status.text
    await person.send("/withdraw")
    await person.expect("취소할 신청을 골라 주세요")
    await person.click("IT 사무지원")
    await person.expect("신청을 취소할까요?")
    taps = [await person.click("네, 취소합니다"), await person.click("네, 취소합니다")]
    for query in taps:
        await person.wait_callback_answer(query)
    await person.expect("신청을 취소했습니다")
    async with world.ctx.db.session() as session:
        app = await session.get(Application, app_id)
        assert app.state == "withdrawn"
        events = (
            await session.scalars(
                select(ApplicationEvent).where(
                    ApplicationEvent.application_id == app_id,
                    ApplicationEvent.action == "withdraw",
                )
            )
        ).all()
        assert len(events) == 1 and events[0].from_state == "submitted"
        assert await session.scalar(
            select(AuditLog).where(AuditLog.action == "application.withdraw")
        )
    await person.send("/withdraw")
    await person.expect("지금 취소할 수 있는 신청이 없습니다")
    await person.send("/status")
    status = await expect_new(person, "내 신청 현황")
    assert "신청 취소" in status.text and "/programs" in status.text


async def test_no_withdraw_once_the_roster_is_locked(world: World) -> None:
    pid = await program_id(world.ctx, "intern")
    participant = await make_participant(world.ctx, PARTICIPANT)
    await make_application(world.ctx, participant, pid, state="selected")
    async with world.ctx.db.session() as session:
        await session.execute(
            update(Program).where(Program.id == pid).values(roster_locked_at=world.ctx.now())
        )
    person = world.user(PARTICIPANT)
    await person.send("/withdraw")
    await person.expect("지금 취소할 수 있는 신청이 없습니다")
    await person.send("/status")
    status = await person.expect("내 신청 현황")
    assert (
        "선발" in status.text and "참여 중입니다" in status.text and "02-6000-1234" in status.text
    )
    assert status.buttons == [["🏠 메뉴"]]  # nothing to withdraw or amend


async def test_held_application_amended_and_resubmitted(world: World) -> None:
    app_id = await _held_application(world)
    person = world.user(PARTICIPANT)
    await person.send("/status")
    status = await person.expect("내 신청 현황")
    assert "보류" in status.text and "관련 경험을 적어 주세요" in status.text
    await _notify(world, PARTICIPANT, app_id)
    await person.expect("내 신청 현황")  # the staff notice, delivered by the outbox
    await person.click("✅ 고쳐서 다시 제출")
    summary = await person.expect("보류된 신청 고치기")
    assert "관련 경험을 적어 주세요" in summary.text and "김청년" in summary.text
    await person.click("✏ 자기소개")
    await person.expect("자기소개를 입력해 주세요")
    await person.send(NEW_INTRO)
    await person.expect("자기소개를 저장했습니다")
    await expect_new(person, "보류된 신청 고치기")
    await person.click("✅ 고쳐서 다시 제출")
    await person.expect("다시 제출했습니다")
    async with world.ctx.db.session() as session:
        app = await session.get(Application, app_id)
        assert app.state == "submitted" and app.self_intro == NEW_INTRO and app.version == 2
        event = await session.scalar(
            select(ApplicationEvent).where(
                ApplicationEvent.application_id == app_id, ApplicationEvent.action == "resubmit"
            )
        )
        assert (event.from_state, event.to_state) == ("held", "submitted")
        audit = await session.scalar(
            select(AuditLog).where(AuditLog.action == "application.resubmit")
        )
        assert audit.after == {"state": "submitted", "changed": ["self_intro"]}
        assert NEW_INTRO not in str(audit.after)
    # the old notice's button no longer amends anything
    query = await person.click("✅ 고쳐서 다시 제출")
    answer = await person.wait_callback_answer(query)
    assert "보류된 신청만" in answer["text"]


async def test_someone_elses_application_cannot_be_amended(world: World) -> None:
    app_id = await _held_application(world)
    stranger = world.user(PARTICIPANT_2)
    await _notify(world, PARTICIPANT_2, app_id)  # a forwarded or crafted button
    await stranger.expect("내 신청 현황")
    query = await stranger.click("✅ 고쳐서 다시 제출")
    answer = await stranger.wait_callback_answer(query)
    assert "이 버튼은 더 이상 유효하지 않습니다" in answer["text"]  # the forged-button answer
    await stranger.quiet()  # the alert only: nothing posted in the chat
    async with world.ctx.db.session() as session:
        refused = await session.scalar(
            select(AuditLog).where(
                AuditLog.action == "application.amend", AuditLog.outcome == "refused"
            )
        )
        assert refused is not None and refused.actor_id == PARTICIPANT_2
        assert (await session.get(Application, app_id)).state == "held"
