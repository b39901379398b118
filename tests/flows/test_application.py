"""The application form through the real dispatcher: a project program with job and résumé,
refusals that re-ask, edits from the summary."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.models import StoredFile
from tests.e2e.participant_steps import (
    INTRO,
    answer_eligibility,
    application_of,
    consent,
    expect_new,
    fill_form,
    open_program,
)
from tests.flows.harness import Flows
from tests.world import PARTICIPANT, PARTICIPANT_2

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def test_project_program_with_job_and_resume(flows: Flows) -> None:
    world = flows
    person = world.user(PARTICIPANT_2)
    await consent(person)
    await open_program(person, "ESG 데이터")
    card = person.last
    assert card is not None and "데이터 수집" in card.text and "이력서: 제출 필요" in card.text
    await answer_eligibility(person, birth="1999-12-31")
    await fill_form(person, job="보고서 작성")
    ask = await person.expect("이 프로그램은 이력서가 필요합니다")
    assert "건너뛰기" not in str(ask.buttons)
    await person.send_document("이력서.txt", b"hello", "text/plain")
    refused = await person.expect("파일은 받을 수 없습니다")
    assert ".txt" in refused.text and "PDF, DOCX, HWP, HWPX" in refused.text
    await person.send_document("가짜.pdf", b"not a pdf", "application/pdf")
    await person.expect("파일 내용이 .pdf 형식이 아닙니다")
    await person.send_document("이력서.pdf", PDF, "application/pdf")
    await person.expect("이력서 「이력서.pdf」")
    summary = await person.expect("신청 내용을 확인해 주세요")
    assert "보고서 작성" in summary.text and "이력서.pdf" in summary.text
    assert "「제출하기」를 누르세요" in summary.text  # while its buttons are live
    await person.click("✅ 제출하기")
    receipt = await person.expect("신청이 접수되었습니다")
    [app] = await application_of(world.ctx, PARTICIPANT_2)
    assert app.state == "submitted" and app.job_id is not None and app.resume_file_id
    assert f"#{app.id}" in receipt.text
    # the summary's buttons are gone, and so are the words telling to press them
    [closed] = [m for m in person.messages if "신청 내용을 확인해 주세요" in m.text]
    assert not closed.buttons and "누르세요" not in closed.text and "보고서 작성" in closed.text
    await person.click("🏠 메뉴")  # the end of a flow offers the way home
    home = await person.expect("무엇을 할까요")
    assert "내 신청 1건" in str(home.buttons)
    async with world.ctx.db.session() as session:
        stored = await session.get(StoredFile, app.resume_file_id)
        assert stored.content == PDF and stored.kind == "resume"
        # the two refused uploads were never stored
        count = len((await session.scalars(select(StoredFile))).all())
        assert count == 1


async def test_summary_edits_any_field_and_refusals_re_ask(flows: Flows) -> None:
    world = flows
    person = world.user(PARTICIPANT)
    await consent(person)
    await open_program(person, "IT 사무지원")
    await answer_eligibility(person)
    await person.expect("참여 자격 요건을 충족합니다")
    await person.click("신청서 작성 계속 ▶")
    await person.expect("이름(실명)")
    await person.send("김청년")
    await person.expect("휴대전화번호")
    await person.send("02-1234-5678")  # a landline
    refused = await person.expect("휴대전화번호를 입력해 주세요. 유선")
    assert "010-1234-5678" in refused.text  # the example of the right form
    await person.expect("휴대전화번호를 입력해 주세요")
    await person.send("010-9876-5432")
    await person.expect("이메일")
    await person.send("youth@example.com")
    await person.expect("최종학력")
    await person.send("대졸")  # free text where a button is expected
    await person.expect("아래 버튼에서 골라 주세요")
    again = await expect_new(person, "최종학력을 골라 주세요")
    assert any("대학교 졸업" in label for row in again.buttons for label in row)
    await person.click("고등학교 졸업")
    await person.expect("자기소개")
    await person.send("가" * 1001)
    too_long = await person.expect("너무 깁니다")
    assert "1001/1000" in too_long.text.replace(",", "")
    await person.expect("자기소개를 입력해 주세요")
    await person.send(INTRO)
    await person.expect("이력서 파일")
    await person.click("건너뛰기")
    await person.expect("신청 내용을 확인해 주세요")
    await person.click("✏ 휴대전화")
    current = await person.expect("휴대전화번호를 입력해 주세요")
    assert "010-9876-5432" in current.text
    await person.send("01011112222")
    summary = await person.expect("신청 내용을 확인해 주세요")
    assert "010-1111-2222" in summary.text
    await person.click("✏ 참여자격 답변")
    await person.expect("참여자격 확인 결과")
    await person.click("✏ 답 고치기")
    await person.expect("어느 답을 고칠까요?")
    await person.click("실업급여 수급")
    await person.expect("실업급여를 받고 있나요?")
    await person.click("예")
    result = await person.expect("참여자격 확인 결과")
    assert "참여수당이 지급되지 않습니다" in result.text  # allowed, with the consequence
    await person.click("신청서 작성 계속 ▶")
    await person.expect("신청 내용을 확인해 주세요")
    await person.click("✅ 제출하기")
    await person.expect("신청이 접수되었습니다")
    [app] = await application_of(world.ctx, PARTICIPANT)
    assert app.eligibility["answers"]["unemployment_benefits"] is True
    assert app.education == "고등학교 졸업"
    assert "elig.note.unemployment_benefits" in app.eligibility_result["notes"]


async def test_typed_labels_and_the_share_contact_button(flows: Flows) -> None:
    person = flows.user(PARTICIPANT)
    await consent(person)
    await open_program(person, "IT 사무지원")
    await answer_eligibility(person)
    await person.click("신청서 작성 계속 ▶")
    first = await person.expect("이름(실명)을 입력해 주세요")
    assert "신청서 1/6" in first.text  # name, mobile, email, education, intro, résumé
    await person.send("김청년")
    await person.expect("휴대전화번호를 입력해 주세요")
    assert person.reply_keyboard == [["📱 내 번호 보내기"]]
    await person.send_foreign_contact("010-9999-8888", user_id=PARTICIPANT_2)
    await person.expect("본인의 연락처만 받을 수 있습니다")
    await person.send_foreign_contact("010-9999-8888", user_id=None)
    await person.expect("본인의 연락처만 받을 수 있습니다")
    await person.send_contact("+82 10-2345-6789")  # 「📱 내 번호 보내기」: the sender's own
    await person.expect("이메일 주소를 입력해 주세요")
    await person.send("youth@example.com")
    await person.expect("최종학력을 골라 주세요")
    await person.send("대학교 졸업")  # the label of a shown button, typed
    await person.expect("자기소개를 입력해 주세요")
    await person.send(INTRO)
    await person.send("건너뛰기")
    summary = await person.expect("신청 내용을 확인해 주세요")
    assert "010-2345-6789" in summary.text
    assert "대학교 졸업" in summary.text and "이력서: 없음" in summary.text
