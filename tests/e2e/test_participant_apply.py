"""Participants end to end: from /start to a submitted application (인증대기), both types."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.models import ApplicationEvent, AuditLog, Participant
from tests.e2e.participant_steps import (
    INTRO,
    answer_eligibility,
    application_of,
    consent,
    fill_form,
    open_program,
)
from tests.world import PARTICIPANT, World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def test_intern_program_from_start_to_submitted(world: World) -> None:
    person = world.user(PARTICIPANT)
    await consent(person)
    await open_program(person, "IT 사무지원")
    card = person.last
    assert card is not None
    assert "서울특별시 중구 세종대로 110, 5층" in card.text  # the exact work address
    assert "주식회사 한빛소프트웨어" in card.text and "02-6000-1234" in card.text
    assert "오담당" not in card.text and "02-3000-1111" not in card.text  # company contacts
    await answer_eligibility(person)
    await fill_form(person)
    await person.expect("이력서 파일을 보내 주세요 (선택)")
    await person.click("건너뛰기")
    summary = await person.expect("신청 내용을 확인해 주세요")
    assert "김청년" in summary.text and "010-1234-5678" in summary.text
    assert "대학교 졸업" in summary.text and "2000-05-17" in summary.text
    await person.click("✅ 제출하기")
    done = await person.expect("신청이 접수되었습니다")
    assert "검토 중" in done.text and world.ctx.today().isoformat() in done.text

    [app] = await application_of(world.ctx, PARTICIPANT)
    assert app.state == "submitted" and app.applied_on == world.ctx.today()
    assert app.self_intro == INTRO and app.education == "대학교 졸업" and app.job_id is None
    assert app.eligibility["answers"]["birth_date"] == "2000-05-17"
    assert app.eligibility_result["eligible"] is True
    async with world.ctx.db.session() as session:
        person_row = await session.scalar(
            select(Participant).where(Participant.telegram_id == PARTICIPANT)
        )
        assert person_row.mobile == "010-1234-5678" and person_row.name == "김청년"
        event = await session.scalar(
            select(ApplicationEvent).where(ApplicationEvent.application_id == app.id)
        )
        assert (event.from_state, event.to_state, event.action) == ("draft", "submitted", "submit")
        audit_row = await session.scalar(
            select(AuditLog).where(AuditLog.action == "application.submit")
        )
        assert audit_row.entity_id == str(app.id)
    await person.send("/status")
    status = await person.expect("내 신청 현황")
    assert "검토 중" in status.text and "운영기관이 신청 내용과 자격을 확인" in status.text
