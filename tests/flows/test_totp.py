"""The second factor on the form engine: the key and the codes leave the chat and the FSM, the
stopped action is carried out once — and a stale or forged replay does nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import func, select

from bot.storage.models import AuditLog, StaffAccount
from tests.e2e.staff_support import code_at, join_request, secret_from
from tests.factories import grant_second_factor
from tests.flows.harness import Flows, lapsed_second_factor
from tests.world import CENTER, STAFF

NEWCOMER = 600011
INBOX_EMPTY = "인증 대기 중인 신청이 없습니다"


def _said(flows: Flows, contains: str) -> int:
    sent = [str(r.text) for r in flows.requests("SendMessage")]
    sent += [str(r.text) for r in flows.requests("EditMessageText")]
    return sum(contains in text for text in sent)


async def _fsm(flows: Flows, telegram_id: int) -> str:
    key = StorageKey(bot_id=flows.bot.id, chat_id=telegram_id, user_id=telegram_id)
    state = await flows.dp.storage.get_state(key)
    return f"{state} {json.dumps(await flows.dp.storage.get_data(key), ensure_ascii=False)}"


async def test_enrolment_leaves_no_key_or_code_behind(flows: Flows) -> None:
    center = flows.user(CENTER)  # no second factor yet
    await center.send("/approvals")
    await center.expect("2단계 인증(OTP) 등록")
    key = await center.expect("설정 키 (직접 입력용)")
    secret = secret_from(key.text)
    assert secret not in await _fsm(flows, CENTER)  # only the message ids are kept
    wrong = await center.send("000000" if code_at(flows, secret) != "000000" else "111111")  # type: ignore[arg-type]
    await center.expect("인증번호가 맞지 않습니다")
    code = code_at(flows, secret)  # type: ignore[arg-type]
    sent = await center.send(code)
    await center.expect("2단계 인증을 등록했습니다")
    await center.expect("승인 대기 중인 계정 신청이 없습니다")  # /approvals, carried out
    deleted = {r.message_id for r in flows.requests("DeleteMessage")}
    assert {wrong["message_id"], sent["message_id"]} <= deleted  # the codes are gone
    erased = {i for r in flows.requests("DeleteMessages") for i in r.message_ids}
    assert key.message_id in erased and len(erased) == 2  # the key and the QR code too
    assert _said(flows, secret) == 1 and _said(flows, code) == 0  # never echoed
    assert secret not in await _fsm(flows, CENTER)


async def test_a_press_stopped_by_the_second_factor_is_done_exactly_once(flows: Flows) -> None:
    flows.clock.set(datetime.now(UTC))
    person = flows.user(NEWCOMER, "김신규")
    await join_request(person)
    secret = await grant_second_factor(flows.ctx, CENTER)
    center = flows.user(CENTER)
    await center.send("/approvals")
    await center.click("김신규")
    await center.expect("계정 신청 #")
    flows.clock.advance(timedelta(hours=flows.settings.totp_valid_hours, minutes=1))
    await center.click("✅ 승인")
    await center.expect("6자리 인증번호")
    before = _said(flows, "승인하기 (확정)") + len(flows.requests("EditMessageReplyMarkup"))
    await center.send(code_at(flows, secret))  # type: ignore[arg-type]
    await center.expect("이어서 합니다")
    await center.click("✅ 승인하기 (확정)")  # the press, carried out: the card asks to confirm
    await center.expect("승인했습니다")
    flows.clock.advance(timedelta(seconds=30))
    await center.send(code_at(flows, secret))  # a second code: no second replay
    await center.expect("무엇을 도와드릴까요?")  # just text outside any flow
    after = _said(flows, "승인하기 (확정)") + len(flows.requests("EditMessageReplyMarkup"))
    assert after - before <= 2  # the confirm card once (and its buttons gone once)
    async with flows.ctx.db.session() as session:
        account = await session.scalar(
            select(StaffAccount).where(StaffAccount.telegram_id == NEWCOMER)
        )
        approvals = await session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "staff.approve")
        )
    assert account is not None and account.status == "approved" and approvals == 1


async def test_a_stale_or_forged_replay_does_nothing(flows: Flows) -> None:
    secret = await lapsed_second_factor(flows, STAFF)
    staff = flows.user(STAFF)
    await staff.send("/inbox")
    await staff.expect("6자리 인증번호")
    forged = await staff.forge("form:totp:77:f:")  # a made-up button of the code screen
    assert "더 이상 유효하지 않습니다" in staff.answer_of(forged)
    flows.clock.advance(timedelta(hours=1))  # the code comes much later: /inbox is stale
    await staff.send(code_at(flows, secret))  # type: ignore[arg-type]
    done = await staff.expect("인증했습니다")
    assert "이어서 합니다" not in done.text and "다시 보내" not in done.text
    await staff.quiet()
    assert _said(flows, INBOX_EMPTY) == 0  # not carried out
    again = await staff.forge("form:totp:1:f:")  # a press of the ended code screen
    assert "더 이상 유효하지 않습니다" in staff.answer_of(again)
    await staff.send("/inbox")  # now the factor is fresh: the command itself
    await staff.expect(INBOX_EMPTY)
    assert _said(flows, INBOX_EMPTY) == 1


async def test_the_kept_action_is_sealed_in_the_fsm(flows: Flows) -> None:
    """What the person sent while stopped may hold personal data: the FSM holds it sealed."""
    secret = await lapsed_second_factor(flows, STAFF)
    staff = flows.user(STAFF)
    await staff.send("/inbox 010-9876-5432")  # a resident number is deleted before this
    await staff.expect("6자리 인증번호")
    stored = await _fsm(flows, STAFF)
    assert "kept" in stored and "9876" not in stored and "/inbox" not in stored
    await staff.send(code_at(flows, secret))  # type: ignore[arg-type]
    await staff.expect(INBOX_EMPTY)  # opened and carried out


async def test_cancelled_enrolment_takes_the_key_and_qr_code_off_the_chat(flows: Flows) -> None:
    center = flows.user(CENTER)  # no second factor yet
    await center.send("/approvals")
    key = await center.expect("설정 키 (직접 입력용)")
    await center.send("/cancel")
    await center.expect("진행 중이던 단계를 취소했습니다")
    erased = {i for r in flows.requests("DeleteMessages") for i in r.message_ids}
    assert key.message_id in erased and len(erased) == 2  # the key and the QR code
    assert "form:" not in await _fsm(flows, CENTER)


async def test_locked_out_enrolment_takes_the_key_and_qr_code_off_the_chat(flows: Flows) -> None:
    center = flows.user(CENTER)  # no second factor yet
    await center.send("/approvals")
    key = await center.expect("설정 키 (직접 입력용)")
    secret = secret_from(key.text)
    wrong = "000000" if code_at(flows, secret) != "000000" else "111111"  # type: ignore[arg-type]
    for _ in range(5):
        await center.send(wrong)
    await center.expect("잘못 입력해 잠겼습니다")
    erased = {i for r in flows.requests("DeleteMessages") for i in r.message_ids}
    assert key.message_id in erased and len(erased) == 2  # the key and the QR code
    assert "form:" not in await _fsm(flows, CENTER)
