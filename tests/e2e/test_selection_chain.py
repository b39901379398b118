"""From the selection pool to a verified certificate, entirely in chat (issue 6)."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.certificates import make_issue_number
from bot.storage.models import AuditLog, Enrollment, OutboxMessage, SurveyResponse, Team
from tests.e2e.chain import (
    after_the_period,
    app_state,
    certified,
    eventually,
    outbox_statuses,
    program,
    survey_and_certificate,
    unlock_staff,
)
from tests.factories import program_id
from tests.world import PARTICIPANT, PARTICIPANT_2, STAFF, World

OTHER = 555_601  # a third applicant, who is not selected


async def _select_and_confirm(world: World, program_name: str, pid: int) -> list[int]:
    """Staff select 김청년 and 이지원, leave 박민수 unselected, and confirm the roster."""
    apps = await certified(
        world, pid, [(PARTICIPANT, "김청년"), (PARTICIPANT_2, "이지원"), (OTHER, "박민수")]
    )
    staff = world.user(STAFF)
    await staff.send("/select")
    await staff.expect("프로그램을 고르세요")
    await staff.click(program_name[:8])
    page = await staff.expect("선발대기")
    assert "선발 0 / 모집" in page.text
    await staff.click("☐ 김청년")
    await staff.expect("고른 사람 1명")
    await staff.click("☐ 이지원")
    await staff.expect("고른 사람 2명")
    await staff.click("국취 '아니요'로 기록 (2명)")
    await staff.expect("'아니요'로 기록")
    await staff.click("✅ 선발 (2명)")
    done = await staff.expect("2명을 선발했습니다")
    assert "선발 2 / 모집" in done.text
    await staff.click("☐ 박민수")
    await staff.expect("고른 사람 1명")
    await staff.click("비선발 (1명)")
    await staff.expect("1명을 비선발로 처리했습니다")

    await staff.send("/confirm")
    await staff.expect("프로그램을 고르세요")
    await staff.click(program_name[:8])
    review = await staff.expect("확정통보 —")
    assert "김청년" in review.text and "이지원" in review.text and "박민수" in review.text
    await staff.click("확정통보 진행 ›")
    await staff.expect("마지막 확인")
    await staff.click("네, 확정하고 통보합니다")
    await staff.expect("명단을 확정했습니다")

    assert "선발되셨습니다" in (await world.user(PARTICIPANT).expect("선발 안내")).text
    await world.user(PARTICIPANT_2).expect("선발 안내")
    await world.user(OTHER).expect("함께하지 못하게")

    async def all_sent() -> bool:
        return await outbox_statuses(world, "roster.") == ["sent"] * 3

    await eventually(all_sent, "three confirmation notices delivered")
    await staff.click("🔄 전송 현황 새로고침")
    await staff.expect("전송 완료: 3명")
    assert (await program(world, pid)).roster_locked_at is not None
    return apps


async def test_project_program_from_selection_to_verified_certificate(world: World) -> None:
    await unlock_staff(world)
    pid = await program_id(world.ctx, "project")
    name = (await program(world, pid)).name
    kim, lee, park = await _select_and_confirm(world, name, pid)
    assert await app_state(world, park) == "not_selected"

    # teams: create one, put both selected people in it
    staff = world.user(STAFF)
    await staff.send("/assign")
    await staff.expect("프로그램을 고르세요")
    await staff.click(name[:8])
    await staff.expect("팀 (0개)")
    await staff.click("＋ 새 팀 만들기")
    await staff.expect("새 팀 이름")
    await staff.send("데이터팀")
    await staff.expect("‘데이터팀’ 팀을 만들었습니다")
    await staff.click("김청년 · 미배정")
    await staff.expect("배정할 팀을 고르세요")
    await staff.click("데이터팀 (0명)")
    await staff.expect("김청년 님을 데이터팀에 배정했습니다")
    await staff.click("이지원 · 미배정")
    await staff.expect("배정할 팀을 고르세요")
    await staff.click("데이터팀 (1명)")
    overview = await staff.expect("이지원 님을 데이터팀에 배정했습니다")
    assert "데이터팀 — 2명" in overview.text
    await world.user(PARTICIPANT).expect("데이터팀")
    async with world.ctx.db.session() as session:
        team = await session.scalar(select(Team).where(Team.program_id == pid))
        assert team is not None
        members = (
            await session.scalars(
                select(Enrollment.application_id).where(Enrollment.team_id == team.id)
            )
        ).all()
        assert sorted(members) == sorted([kim, lee])

    # progress and completion after the period
    await after_the_period(world, pid)
    await staff.send("/progress")
    await staff.expect("프로그램을 고르세요")
    await staff.click(name[:8])
    await staff.expect("진행 중 2명")
    await staff.click("1. 김청년")
    await staff.expect("일경험 종료일")
    await staff.click("교육 없음")
    await staff.expect("사전직무교육: 해당 없음")
    await staff.click("일경험 종료")
    await staff.expect("일경험: 종료")
    await staff.click("🎓 수료 처리")
    await staff.expect("수료 처리할까요")
    await staff.click("네, 수료 처리합니다")
    await staff.expect("김청년 님을 수료 처리했습니다")
    assert await app_state(world, kim) == "completed"

    # 이지원 drops out
    await staff.click("◀ 목록으로")
    await staff.expect("수료 1명")
    await staff.click("2. 이지원")
    await staff.expect("이지원")
    await staff.click("중도탈락 처리")
    await staff.expect("중도탈락 사유를 고르세요")
    await staff.click("취업")
    await staff.expect("중도탈락(취업)")
    await staff.click("네, 중도탈락 처리합니다")
    await staff.expect("이지원 님을 중도탈락으로 처리했습니다")
    assert await app_state(world, lee) == "dropped"
    await world.user(PARTICIPANT_2).expect("중도 종료")

    await world.user(PARTICIPANT).expect("수료하셨습니다")
    number = await survey_and_certificate(world, pid, kim)

    # anyone can verify the number; a made-up one is rejected
    stranger = world.user(555_699, "확인자")
    await stranger.send(f"/verify {number}")
    valid = await stranger.expect("진짜 수료증입니다")
    assert "김*년" in valid.text and "김청년" not in valid.text
    # the certificate's link (its QR code) opens the same check, for someone who never consented
    await world.user(555_698, "기업담당").send(f"/start verify_{number}")
    linked = await world.user(555_698).expect("진짜 수료증입니다")
    assert "김*년" in linked.text and "참여기간:" in linked.text
    assert "발급기관: 청년일경험지원사업 통합지원센터" in linked.text
    made_up = make_issue_number(world.ctx.today().year, 999_999)
    await stranger.send(f"/verify {made_up}")
    await stranger.expect("발급 기록이 없는 번호")
    await stranger.send("/verify 12345")
    await stranger.expect("형식이 아닙니다")

    # the participant downloads it again later
    person = world.user(PARTICIPANT)
    await person.send("/certificate")
    await person.expect("발급 완료")
    await person.click("📄 수료증 받기")
    again = await person.expect_document()
    assert number.encode() in (await person.download(again)) or again.file_name

    async with world.ctx.db.session() as session:
        survey = await session.scalar(
            select(SurveyResponse).where(SurveyResponse.application_id == kim)
        )
        assert survey is not None and survey.submitted_at and not survey.entered_by_staff
        assert survey.answers["overall"] == 5 and survey.answers["improve"] is None
        actions = set((await session.scalars(select(AuditLog.action))).all())
        assert {
            "roster.confirm",
            "application.select",
            "application.complete",
            "survey.submit",
            "cert.request",
            "cert.approve",
        } <= actions
        issued = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.kind == "cert.issued")
        )
        assert issued is not None and issued.payload.get("file_id")
