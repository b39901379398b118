"""/privacy: what is stored, the optional consent, erasure — and what must stay."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select, update

from bot.storage.models import Application, AuditLog, Participant, Program, StoredFile
from tests.e2e.participant_steps import expect_new
from tests.factories import make_application, make_participant, program_id
from tests.world import PARTICIPANT, World

PDF = b"%PDF-1.4\n%%EOF\n"


async def _resume(world: World) -> int:
    async with world.ctx.db.session() as session:
        row = StoredFile(
            kind="resume",
            file_name="이력서.pdf",
            mime_type="application/pdf",
            size=len(PDF),
            sha256=hashlib.sha256(PDF).hexdigest(),
            content=PDF,
            owner_telegram_id=PARTICIPANT,
        )
        session.add(row)
        await session.flush()
        return row.id


async def _audit_dump(world: World) -> str:
    async with world.ctx.db.session() as session:
        rows = (await session.scalars(select(AuditLog))).all()
    return json.dumps([[r.action, r.before, r.after, r.reason] for r in rows], ensure_ascii=False)


async def test_erase_everything_when_nothing_must_be_kept(world: World) -> None:
    participant = await make_participant(world.ctx, PARTICIPANT)
    pid = await program_id(world.ctx, "intern")
    app_id = await make_application(
        world.ctx, participant, pid, resume_file_id=await _resume(world)
    )
    person = world.user(PARTICIPANT)
    await person.send("/privacy")
    shown = await person.expect("내 개인정보")
    assert "홍길동" in shown.text and "010-****-5678" in shown.text and "신청서: 1건" in shown.text
    await person.click("동의 철회 및 정보 삭제")
    plan = await person.expect("삭제하기 전에 확인해 주세요")
    assert "신청서 1건" in plan.text and "참여자 정보 전체" in plan.text
    taps = [await person.click("삭제합니다"), await person.click("삭제합니다")]
    for query in taps:
        await person.wait_callback_answer(query)
    await person.expect("삭제했습니다")
    await expect_new(person, "삭제할 정보가 없습니다")  # the second tap erased nothing more
    async with world.ctx.db.session() as session:
        assert await session.get(Participant, participant) is None
        assert await session.get(Application, app_id) is None
        assert (await session.scalars(select(StoredFile))).all() == []
        erase = (
            await session.scalars(select(AuditLog).where(AuditLog.action == "privacy.erase"))
        ).all()
        assert len(erase) == 1
        assert erase[0].after["applications_deleted"] == 1
        assert erase[0].after["files_deleted"] == 1
        assert "mobile" in erase[0].after["fields"]
    dump = await _audit_dump(world)
    for value in ("홍길동", "010-1234-5678", "hong@example.com", "2000-05-17"):
        assert value not in dump
    await person.send("/start")  # consent must be given again
    await person.expect("개인정보 수집·이용 동의")


async def test_erase_keeps_the_record_of_a_started_program(world: World) -> None:
    participant = await make_participant(world.ctx, PARTICIPANT)
    intern = await program_id(world.ctx, "intern")
    project = await program_id(world.ctx, "project")
    kept = await make_application(world.ctx, participant, intern, state="completed")
    gone = await make_application(world.ctx, participant, project)
    async with world.ctx.db.session() as session:
        await session.execute(
            update(Program).where(Program.id == intern).values(roster_locked_at=world.ctx.now())
        )
    person = world.user(PARTICIPANT)
    await person.send("/privacy")
    await person.expect("내 개인정보")
    await person.click("동의 철회 및 정보 삭제")
    plan = await person.expect("삭제하기 전에 확인해 주세요")
    assert "신청서 1건" in plan.text and "IT 사무지원 인턴형 일경험 참여 기록" in plan.text
    assert "보관" in plan.text
    await person.click("삭제합니다")
    await person.expect("보관 의무가 있는 참여 기록만 남았습니다")
    async with world.ctx.db.session() as session:
        row = await session.get(Participant, participant)
        assert row is not None and row.name == "홍길동" and row.birth_date is not None
        assert row.mobile is None and row.email is None
        assert row.consent_required_at is None and row.erased_at is not None
        record = await session.get(Application, kept)
        assert record.state == "completed" and record.self_intro is None
        assert await session.get(Application, gone) is None
    await person.send("/status")
    status = await person.expect("내 신청 현황")
    assert "수료" in status.text and "ESG" not in status.text
    await person.send("/privacy")
    again = await expect_new(person, "내 개인정보")
    assert "보관 의무가 있는 참여 기록만" in again.text


async def test_optional_consent_can_be_given_and_withdrawn(world: World) -> None:
    participant = await make_participant(world.ctx, PARTICIPANT)
    person = world.user(PARTICIPANT)
    await person.send("/privacy")
    shown = await person.expect("소식 받기(선택): 동의 안 함")
    assert shown.buttons
    await person.click("소식 받기에 동의")
    await person.expect("소식 받기에 동의했습니다")
    await person.send("/privacy")
    await person.expect("소식 받기(선택): 동의")
    await person.click("소식 받기 동의 철회")
    await person.expect("소식 받기 동의를 철회했습니다")
    async with world.ctx.db.session() as session:
        assert (await session.get(Participant, participant)).consent_optional is False
        changes = (
            await session.scalars(select(AuditLog).where(AuditLog.action == "consent.optional"))
        ).all()
        assert [c.after["optional"] for c in changes] == [True, False]
