"""Issue 4: a paper application (개별 신청) lands certified; the participant links it later.
(Stop-early, back, edits and refusals of the flow: ``tests/flows/test_offline_application.py``.)"""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.storage.models import Application, ApplicationEvent, AuditLog, Participant
from tests.e2e.offline_steps import answer_paper_questions
from tests.factories import grant_second_factor
from tests.world import STAFF, World


async def test_offline_application_lands_certified_and_links(world: World) -> None:
    await grant_second_factor(world.ctx, STAFF)
    staff = world.user(STAFF)
    await staff.send("/offline")
    await staff.expect("개별 신청(서면) 등록")
    await staff.expect("어느 프로그램")
    await staff.click("지역 ESG 데이터")
    await staff.expect("직무")
    await staff.click("데이터 수집")
    await staff.expect("성명")
    await staff.send("오서면")
    await staff.expect("휴대전화번호")
    await staff.click("건너뛰기")
    await staff.expect("신청일")
    await staff.send("2099-01-01")
    await staff.expect("오늘 이후일 수 없습니다")
    await staff.click("오늘")
    await answer_paper_questions(staff, "2001-03-15")
    result = await staff.expect("참여 자격 요건을 충족합니다")
    assert "고용보험 가입 이력" in result.text  # to be checked against official records
    await staff.click("계속")
    await staff.expect("최종학력")
    await staff.click("대학교 졸업")
    await staff.expect("서면 개인정보")
    await staff.click("서면 동의서를 받았습니다")
    summary = await staff.expect("개별 신청 등록 내용")
    assert "오서면" in summary.text and "데이터 수집" in summary.text
    await staff.click("등록")
    done = await staff.expect("인증 상태로 등록했습니다")
    payload = re.search(r"/start (link_\S+)", done.text or "")
    assert payload, done.text

    async with world.ctx.db.session() as session:
        app = await session.scalar(select(Application).where(Application.channel == "offline"))
        assert app is not None and app.state == "certified" and app.job_id is not None
        assert app.education == "대학교 졸업"
        assert app.eligibility["answers"]["birth_date"] == "2001-03-15"
        assert app.participant.telegram_id is None and app.participant.consent_required_at
        event = await session.scalar(
            select(ApplicationEvent).where(ApplicationEvent.application_id == app.id)
        )
        assert event is not None and event.action == "register_offline"
        assert event.from_state is None and event.to_state == "certified"
        assert await session.scalar(
            select(AuditLog).where(AuditLog.action == "application.register_offline")
        )
        app_id = app.id

    # the participant opens the one-time link (consent first, as every new participant)
    person = world.user(600200, "오서면")
    await person.send(f"/start {payload.group(1)}")
    await person.expect("개인정보 수집·이용 동의")
    await person.click("✅ 필수 항목에 동의합니다")
    await person.expect("선택 항목 동의")
    await person.click("받지 않음")
    await person.expect("연결할까요")
    await person.click("내 신청 연결하기")
    linked = await person.expect("신청을 연결했습니다")
    assert "지역 ESG 데이터 프로젝트형 일경험: 인증(선발대기)" in linked.text
    async with world.ctx.db.session() as session:
        app = await session.get(Application, app_id)
        assert app is not None and app.participant.telegram_id == 600200
        assert app.participant.name == "오서면"
        assert (
            await session.scalar(select(Participant).where(Participant.link_token.is_not(None)))
            is None
        )

    # the link works once
    other = world.user(600201, "다른사람")
    await other.send(f"/start {payload.group(1)}")
    await other.expect("개인정보 수집·이용 동의")
    await other.click("✅ 필수 항목에 동의합니다")
    await other.expect("선택 항목 동의")
    await other.click("받지 않음")
    await other.expect("연결할까요")
    query = await other.click("내 신청 연결하기")
    await other.expect("잘못된 연결 링크")  # the flow ends with it: said once, as a message
    assert not (await other.wait_callback_answer(query)).get("text")
