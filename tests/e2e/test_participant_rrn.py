"""Resident registration number on: deleted from the chat, stored encrypted, shown masked."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from sqlalchemy import select

from bot.services.crypto import rrn_context
from bot.storage.models import AuditLog, FsmRecord, Participant
from tests.e2e.participant_steps import (
    INTRO,
    answer_eligibility,
    application_of,
    consent,
    expect_new,
    open_program,
)
from tests.world import PARTICIPANT, World

RRN = "000517-3123456"  # born 2000-05-17 (G=3: 2000s); a post-2020 number may fail the checksum
DIGITS = RRN.replace("-", "")


async def _fsm_dump(world: World) -> str:
    async with world.ctx.db.session() as session:
        rows = (await session.scalars(select(FsmRecord))).all()
    return json.dumps([[r.key, r.state, r.data] for r in rows], ensure_ascii=False)


async def test_resident_number_is_deleted_encrypted_and_masked(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    world.settings.collect_resident_number = True
    person = world.user(PARTICIPANT)
    await consent(person)
    await open_program(person, "IT 사무지원")
    await answer_eligibility(person, birth="2000-05-17")
    await person.expect("참여 자격 요건을 충족합니다")
    await person.click("신청서 작성 계속 ▶")
    await person.expect("이름(실명)")
    await person.send("김청년")
    await person.expect("주민등록번호 13자리")

    bad = await person.send("7777")
    await person.expect_deleted(bad["message_id"])
    refused = await person.expect("주민등록번호 형식이 아닙니다")
    assert "7777" not in refused.text
    await expect_new(person, "주민등록번호 13자리")
    other = await person.send("990101-1234567")
    await person.expect_deleted(other["message_id"])
    await person.expect("앞에서 입력한 생년월일과 다릅니다")
    await expect_new(person, "주민등록번호 13자리")

    sent = await person.send(RRN)
    await person.expect_deleted(sent["message_id"])
    saved = await person.expect("주민등록번호를 확인했습니다")
    assert "000517-3******" in saved.text and DIGITS not in saved.text
    deletions = [c for c in world.playground.calls if c.method == "deleteMessage" and c.ok]
    assert any(int(c.params["message_id"]) == sent["message_id"] for c in deletions)
    await person.expect("휴대전화번호를 입력해 주세요")
    # mid-form: only the sealed form in the FSM data (written as the update closes, just after
    # the reply)
    for _ in range(100):
        dump = await _fsm_dump(world)
        if "000517-3******" in dump:
            break
        await asyncio.sleep(0.02)
    assert DIGITS not in dump and RRN not in dump and "000517-3******" in dump
    await person.send("010-1234-5678")
    await person.expect("이메일 주소를 입력해 주세요")
    await person.send("youth@example.com")
    await person.expect("최종학력을 골라 주세요")
    await person.click("대학교 졸업")
    await person.expect("자기소개를 입력해 주세요")
    await person.send(INTRO)
    await person.expect("이력서 파일")
    await person.click("건너뛰기")
    summary = await person.expect("신청 내용을 확인해 주세요")
    assert "000517-3******" in summary.text and DIGITS not in summary.text
    await person.click("✅ 제출하기")
    await person.expect("신청이 접수되었습니다")

    [app] = await application_of(world.ctx, PARTICIPANT)
    assert app.state == "submitted"
    async with world.ctx.db.session() as session:
        row = await session.scalar(
            select(Participant).where(Participant.telegram_id == PARTICIPANT)
        )
        assert row.rrn_masked == "000517-3******"
        assert row.rrn_enc and DIGITS.encode() not in row.rrn_enc
        assert world.ctx.cipher.decrypt(row.rrn_enc, context=rrn_context(row.id)) == DIGITS
        audit = json.dumps(
            [
                [a.action, a.before, a.after, a.reason]
                for a in (await session.scalars(select(AuditLog))).all()
            ],
            ensure_ascii=False,
        )
    assert DIGITS not in audit and RRN not in audit
    assert DIGITS not in await _fsm_dump(world)

    await person.send("/status")
    status = await person.expect("내 신청 현황")
    assert "000517-3******" in status.text and DIGITS not in status.text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert DIGITS not in logged and RRN not in logged


async def test_resident_number_off_by_default(world: World) -> None:
    person = world.user(PARTICIPANT)
    await consent(person)
    await open_program(person, "IT 사무지원")
    await answer_eligibility(person)
    await person.expect("참여 자격 요건을 충족합니다")
    await person.click("신청서 작성 계속 ▶")
    await person.expect("이름(실명)")
    await person.send("김청년")
    prompt = await person.expect("휴대전화번호를 입력해 주세요")  # straight on: no resident number
    assert "주민등록번호" not in prompt.text
