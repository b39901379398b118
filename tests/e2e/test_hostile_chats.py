"""Hostile chats and hostile input against the real bot over HTTP (issue 14).

Groups, supergroups and channels get nothing personal and start nothing; forged buttons get the
stale alert; resident numbers never stay in a chat; edits are answered; /verify's example holds.
"""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select

from bot.keyboards.participant import MyAppCB
from bot.playground import groups
from bot.storage.models import AuditLog, FsmRecord
from tests.e2e.participant_steps import answer_eligibility, consent, open_program
from tests.factories import grant_second_factor, program_id
from tests.world import PARTICIPANT, PARTICIPANT_2, STAFF, World

RRN = "000517-3123456"
LINK = "https://t.me/youth_work_bot"
STALE = "이 버튼은 더 이상 유효하지 않습니다"


def _sent_to(world: World, chat_id: int) -> list[str]:
    return [
        str(c.params.get("text") or "")
        for c in world.playground.calls
        if c.method == "sendMessage" and int(c.params.get("chat_id") or 0) == chat_id
    ]


async def test_added_to_a_group_it_says_what_it_is_for_once_and_leaves(world: World) -> None:
    group = groups.add_group(world.playground, -100777, "청년 단톡방", "supergroup")
    someone = world.user(PARTICIPANT).chat.user
    watcher = groups.member(world.playground, group, someone)
    groups.add_bot(world.playground, group, by=someone)
    hello = await watcher.expect("그룹과 채널에서는 쓸 수 없어")
    assert LINK in hello.text
    await watcher.quiet(0.5)  # the "left" update that follows says nothing
    assert [c.ok for c in world.playground.calls_of("leaveChat")] == [True]
    assert not group.member
    assert len(_sent_to(world, group.id)) == 1


@pytest.mark.parametrize("kind", ["group", "supergroup"])
async def test_in_a_group_commands_get_a_pointer_and_nothing_personal(
    world: World, kind: str
) -> None:
    await grant_second_factor(world.ctx, STAFF)
    group = groups.add_group(world.playground, -4242, "운영 단톡방", kind)
    group.member = True  # added before this version: it is still there
    participant = groups.member(world.playground, group, world.user(PARTICIPANT).chat.user)
    staff = groups.member(world.playground, group, world.user(STAFF).chat.user)
    for who, command in ((participant, "/privacy"), (staff, "/inbox"), (staff, "/export")):
        await who.send(command)
        pointer = await who.expect("1:1 대화에서 이용해 주세요")
        assert LINK in pointer.text
        participant.cursor = staff.cursor = who.cursor  # one group, read together
    await participant.send("/start")
    await participant.expect("1:1 대화에서 이용해 주세요")
    await participant.send("안녕하세요")  # chatter: not answered
    await participant.quiet(0.5)
    texts = _sent_to(world, group.id)
    assert len(texts) == 4 and all("1:1 대화" in t for t in texts)
    for private in ("김청년", "@", "010-", "인증 대기", "내보내기"):
        assert not any(private in t for t in texts), private
    async with world.ctx.db.session() as session:
        states = (await session.scalars(select(FsmRecord))).all()
    assert all(r.state is None for r in states if f":{group.id}:" in r.key)
    # an old button pressed in the group: an alert, nothing posted
    query = participant.press_data(MyAppCB(action="view", app_id=1).pack(), group.visible()[-1])
    answer = await participant.wait_callback_answer(query)
    assert answer["show_alert"] and "그룹에서는 쓸 수 없습니다" in answer["text"]
    assert len(_sent_to(world, group.id)) == 4


async def test_a_channel_post_is_ignored(world: World) -> None:
    channel = groups.add_group(world.playground, -100900, "공지 채널", "channel")
    channel.member = True
    groups.channel_post(world.playground, channel, "/start 공지입니다")
    probe = world.user(PARTICIPANT)
    await probe.send("/help")  # updates are handled in order: the post came first
    await probe.expect("사용할 수 있는 명령")
    assert _sent_to(world, channel.id) == []


async def test_an_edited_message_is_answered(world: World) -> None:
    person = world.user(PARTICIPANT)
    sent = await person.send("/help")
    await person.expect("사용할 수 있는 명령")
    await person.edit(sent["message_id"], "/status")
    told = await person.expect("수정된 내용을 읽지 않습니다")
    assert "다시 보내" in told.text


async def _dump(world: World) -> str:
    async with world.ctx.db.session() as session:
        fsm = [[r.key, r.state, r.data] for r in (await session.scalars(select(FsmRecord))).all()]
        audit = [[a.before, a.after, a.reason] for a in (await session.scalars(select(AuditLog)))]
    return json.dumps([fsm, audit], ensure_ascii=False)


async def test_resident_numbers_are_deleted_at_any_step_and_outside_flows(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    person = world.user(PARTICIPANT)
    outside = await person.send(f"제 주민번호는 {RRN} 입니다")  # no flow
    await person.expect_deleted(outside["message_id"])
    told = await person.expect("주민등록번호로 보이는 내용이 있어 메시지를 바로 지웠습니다")
    assert RRN not in told.text
    caption = await person.send_photo(b"\x89PNG fake", caption=f"신분증 {RRN.replace('-', '')}")
    await person.expect_deleted(caption["message_id"])
    await person.expect("주민등록번호로 보이는")
    await consent(person)
    await open_program(person, "IT 사무지원")
    await answer_eligibility(person)
    await person.expect("참여 자격 요건을 충족합니다")
    await person.click("신청서 작성 계속 ▶")
    await person.expect("이름(실명)")
    await person.send("김청년")
    await person.expect("휴대전화번호를 입력해 주세요")
    hidden = "０００５１７\u200b－３１２３４５６"  # full-width digits and a zero-width space
    at_mobile = await person.send(hidden)  # the mobile step: deleted, the step stays
    await person.expect_deleted(at_mobile["message_id"])
    await person.expect("주민등록번호로 보이는")
    await person.send("010-1234-5678")
    await person.expect("이메일 주소를 입력해 주세요")  # the flow goes on
    edited = await person.send("youth@example.com")
    await person.edit(edited["message_id"], f"youth@example.com {RRN}")
    await person.expect_deleted(edited["message_id"])
    dump = await _dump(world)
    assert "3123456" not in dump and "000517" not in dump
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "3123456" not in logged
    texts = [
        c.params.get("text") or "" for c in world.playground.calls if c.method == "sendMessage"
    ]
    assert not any("3123456" in str(t) for t in texts)


async def test_forged_buttons_get_the_stale_alert_and_never_raise(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    await grant_second_factor(world.ctx, STAFF)
    pid = await program_id(world.ctx, "intern")
    person, staff = world.user(PARTICIPANT_2), world.user(STAFF)
    await person.send("/help")
    await person.expect("사용할 수 있는 명령")
    await staff.send("/help")
    await staff.expect("사용할 수 있는 명령")
    forged = {
        person: [
            f"myapp:amend:{2**63}",
            f"myapp:view:{2**31}",
            "myapp:view:-1",
            "myapp:x:1",
            "pwdr:9223372036854775807:1",
            "pcard:view:1_0",
            "papp:edit",
            "nonsense",
            "",
        ],
        staff: [f"selg:{pid}:x:0", f"selg:{pid}:waiting:{2**40}", f"pgs:{pid}:code:1:ZZ:0"],
    }
    for who, datas in forged.items():
        for data in datas:
            query = who.press_data(data)
            answer = await who.wait_callback_answer(query)
            assert STALE in (answer.get("text") or ""), (data, answer)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]


async def test_the_verify_example_passes_its_own_check(world: World) -> None:
    person = world.user(PARTICIPANT)
    await person.send("/verify")
    usage = await person.expect("YWE-")
    example = next(w for w in usage.text.split() if w.startswith("YWE-")).strip(".,()'\"")
    await person.send(f"/verify {example}")
    answer = await person.expect(example)
    assert "형식" not in answer.text  # well formed: looked up (no such certificate), not refused


async def test_control_characters_never_reach_a_handler(world: World) -> None:
    person = world.user(PARTICIPANT_2)
    await consent(person)
    await open_program(person, "IT 사무지원")
    await answer_eligibility(person)
    await person.expect("참여 자격 요건을 충족합니다")
    await person.click("신청서 작성 계속 ▶")
    await person.expect("이름(실명)")
    await person.send("김\x00청년\x07")
    await person.expect("휴대전화번호를 입력해 주세요")
    await person.send("\x00")  # nothing but a NUL: refused like an empty answer, not a crash
    await person.expect("휴대전화번호")
    sent = [str(c.params.get("text")) for c in world.playground.calls if c.method == "sendMessage"]
    assert not any("\x00" in text or "\x07" in text for text in sent)
    assert not [c for c in world.playground.calls if not c.ok and c.method == "sendMessage"]
