"""Participants: every refusal says what to do instead; stale buttons, double taps, restarts."""

from __future__ import annotations

from sqlalchemy import select, update

from bot.storage.models import Job, Program
from tests.e2e.participant_steps import (
    ELIGIBLE_BUTTONS,
    INTRO,
    answer_eligibility,
    application_of,
    consent,
    fill_form,
    open_program,
)
from tests.factories import make_application, make_participant, program_id
from tests.world import PARTICIPANT, World


async def test_second_application_to_the_same_program_is_refused(world: World) -> None:
    pid = await program_id(world.ctx, "intern")
    participant = await make_participant(world.ctx, PARTICIPANT)
    await make_application(world.ctx, participant, pid)
    person = world.user(PARTICIPANT)
    await open_program(person, "IT 사무지원")
    query = await person.click("📝 신청하기")
    answer = await person.wait_callback_answer(query)
    assert "이미 이 프로그램에 신청했습니다" in answer["text"]
    refused = await person.expect("이미 이 프로그램에 신청했습니다")
    assert "/status" in refused.text
    assert len(await application_of(world.ctx, PARTICIPANT)) == 1


async def test_closed_and_locked_programs_cannot_be_applied_to(world: World) -> None:
    person = world.user(PARTICIPANT)
    await consent(person)
    await open_program(person, "IT 사무지원")
    intern = await program_id(world.ctx, "intern")
    async with world.ctx.db.session() as session:
        await session.execute(update(Program).where(Program.id == intern).values(status="closed"))
    await person.click("📝 신청하기")  # an old card's button
    refused = await person.expect("모집이 끝난 프로그램이라 신청할 수 없습니다")
    assert "/programs" in refused.text
    await person.send("/programs")
    listing = await person.expect("모집 중인 일경험 프로그램")
    assert "IT 사무지원" not in listing.text and "ESG 데이터" in listing.text

    project = await program_id(world.ctx, "project")
    async with world.ctx.db.session() as session:
        await session.execute(
            update(Program).where(Program.id == project).values(roster_locked_at=world.ctx.now())
        )
    await person.send(f"/start prog_{project}")
    card = await person.expect("명단이 확정되어")
    assert not any("신청하기" in b for row in card.buttons for b in row)


async def test_full_program_and_full_job(world: World) -> None:
    intern = await program_id(world.ctx, "intern")
    project = await program_id(world.ctx, "project")
    async with world.ctx.db.session() as session:
        await session.execute(
            update(Program).where(Program.id == intern).values(total_recruitment=1)
        )
        job = await session.scalar(select(Job).where(Job.name == "데이터 수집"))
        job.headcount = 1
    someone = await make_participant(world.ctx, None, name="오프라인")
    await make_application(world.ctx, someone, intern, state="selected")
    await make_application(world.ctx, someone, project, state="selected", job_id=job.id)
    person = world.user(PARTICIPANT)
    await consent(person)
    await open_program(person, "IT 사무지원")
    card = person.last
    assert card is not None and "모집 인원이 모두 찼습니다" in card.text
    assert not any("신청하기" in b for row in card.buttons for b in row)
    await open_program(person, "ESG 데이터")
    card = person.last
    assert card is not None and "데이터 수집 (1명, 마감)" in card.text
    await answer_eligibility(person)
    await person.expect("참여 자격 요건을 충족합니다")
    await person.click("신청서 작성 계속 ▶")
    await person.expect("이름(실명)")
    await person.send("김청년")
    await person.expect("휴대전화번호")
    await person.send("010-1234-5678")
    await person.expect("이메일")
    await person.send("youth@example.com")
    await person.expect("최종학력")
    await person.click("대학교 졸업")
    jobs = await person.expect("지원할 직무를 골라 주세요")
    labels = [label for row in jobs.buttons for label in row]
    assert "보고서 작성" in labels and "데이터 수집" not in labels


async def test_stale_buttons_and_double_taps_act_once(world: World) -> None:
    person = world.user(PARTICIPANT)
    await consent(person)
    await open_program(person, "IT 사무지원")
    # a double tap on 신청하기 starts one check
    taps = [await person.click("📝 신청하기"), await person.click("📝 신청하기")]
    texts = [(await person.wait_callback_answer(q)).get("text") or "" for q in taps]
    assert sum("이미 작성하고 있습니다" in text for text in texts) == 1, texts
    await person.expect("생년월일을 입력해 주세요")
    await person.send("2000-05-17")
    await person.expect("질문 2/")
    # the same button, twice, before the bot answered: one answer counts
    taps = [await person.click("예"), await person.click("예")]
    texts = [(await person.wait_callback_answer(q)).get("text") or "" for q in taps]
    assert sum("더 이상 유효하지 않습니다" in text for text in texts) == 1, texts
    for number, label in enumerate(ELIGIBLE_BUTTONS[1:], 3):
        await person.expect(f"질문 {number}/")
        await person.click(label)
    await fill_form(person)
    await person.expect("이력서 파일")
    await person.click("건너뛰기")
    await person.expect("신청 내용을 확인해 주세요")
    taps = [await person.click("✅ 제출하기"), await person.click("✅ 제출하기")]
    await person.expect("신청이 접수되었습니다")
    texts = [(await person.wait_callback_answer(q)).get("text") or "" for q in taps]
    assert sum("더 이상 유효하지 않습니다" in text for text in texts) == 1, texts
    assert len(await application_of(world.ctx, PARTICIPANT)) == 1


async def test_cancel_makes_the_flow_buttons_stale(world: World) -> None:
    person = world.user(PARTICIPANT)
    await consent(person)
    await open_program(person, "IT 사무지원")
    await answer_eligibility(person)
    await person.expect("참여 자격 요건을 충족합니다")
    await person.send("/cancel")
    await person.expect("취소했습니다")
    query = await person.click("신청서 작성 계속 ▶")
    answer = await person.wait_callback_answer(query)
    assert "더 이상 유효하지 않습니다" in answer["text"]
    assert await application_of(world.ctx, PARTICIPANT) == []


async def test_restart_in_the_middle_of_the_form_resumes(world: World) -> None:
    person = world.user(PARTICIPANT)
    await consent(person)
    await open_program(person, "IT 사무지원")
    await answer_eligibility(person)
    await person.expect("참여 자격 요건을 충족합니다")
    await person.click("신청서 작성 계속 ▶")
    await person.expect("이름(실명)")
    await person.send("김청년")
    await person.expect("휴대전화번호를 입력해 주세요")
    await world.restart()
    await person.send("010-1234-5678")
    await person.expect("이메일 주소를 입력해 주세요")
    await person.send("youth@example.com")
    await person.expect("최종학력을 골라 주세요")
    await person.click("대학교 재학")
    await person.expect("자기소개를 입력해 주세요")
    await person.send(INTRO)
    await person.expect("이력서 파일")
    await person.click("건너뛰기")
    summary = await person.expect("신청 내용을 확인해 주세요")
    assert "김청년" in summary.text and "2000-05-17" in summary.text
    await person.click("✅ 제출하기")
    await person.expect("신청이 접수되었습니다")
    [app] = await application_of(world.ctx, PARTICIPANT)
    assert app.state == "submitted" and app.education == "대학교 재학"


async def test_back_goes_one_step_and_photo_as_resume_is_refused(world: World) -> None:
    person = world.user(PARTICIPANT)
    await consent(person)
    await open_program(person, "IT 사무지원")
    await answer_eligibility(person)
    await fill_form(person)
    await person.expect("이력서 파일")
    await person.send_photo(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    await person.expect("이력서는 파일(문서)로 보내 주세요")
    await person.expect("이력서 파일")
    await person.send_document("resume.docx", b"PK\x03\x04" + b"\0" * 30, "application/zip")
    await person.expect("이력서 「resume.docx」")
    await person.expect("신청 내용을 확인해 주세요")
    await person.click("✏ 이름")
    await person.expect("이름(실명)")
    await person.click("◀ 이전")
    await person.expect("신청 내용을 확인해 주세요")
    await person.click("✅ 제출하기")
    await person.expect("신청이 접수되었습니다")
    [app] = await application_of(world.ctx, PARTICIPANT)
    assert app.resume_file_id is not None


async def test_too_big_resume_is_refused_before_download(world: World) -> None:
    person = world.user(PARTICIPANT)
    await consent(person)
    await open_program(person, "IT 사무지원")
    await answer_eligibility(person)
    await fill_form(person)
    await person.expect("이력서 파일")
    big = b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024 + 1)
    await person.send_document("큰이력서.pdf", big, "application/pdf")
    refused = await person.expect("파일이 너무 큽니다")
    assert "20MB" in refused.text
