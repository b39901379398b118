"""Fuzz tier: seeded random updates through the real Dispatcher, from every kind of starting point.

Each case puts one person (the attacker) in a conversation state — no flow, the consent, the
eligibility questions, the application form, the staff account request, a staff desk, a paper
application, the program wizard, the second-factor enrolment, the center's approvals, a head's
handover, another agency's selection screen — then sends ``STEPS`` random updates
(``tests.fuzz.runner``). A victim meanwhile sits in the middle of their own application form and
another agency has an applicant: none of their data may appear in anything the attacker is sent,
and neither their conversation state nor their applications may change. Seeds are fixed
(``FUZZ_SEED`` overrides them to explore); the whole tier takes well under a minute.
"""

from __future__ import annotations

import os
import random
from collections.abc import Awaitable, Callable

import pytest
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select

from bot.playground import groups
from bot.storage.models import Application
from tests.e2e.participant_steps import answer_eligibility, consent, open_program
from tests.e2e.staff_support import other_agency
from tests.factories import grant_second_factor, make_application, make_participant, program_id
from tests.flows.harness import Flows, FlowUser
from tests.fuzz.runner import Fuzzer
from tests.world import CENTER, HEAD, PARTICIPANT, PARTICIPANT_2, STAFF

STEPS = int(os.environ.get("FUZZ_STEPS", 80))
FOREIGN_STAFF = 2101
OWN = ["피해자일", "victim1@example.com", "010-9111-1111"]  # the demo agency's applicant
FOREIGN = ["타기관피해자", "victim2@example.com", "010-9222-2222"]  # another agency's
VICTIM_FORM = {"form": {"name": "피해자일"}, "field": "email", "program_id": 1}


async def _nothing(flows: Flows, who: FlowUser) -> None:
    return None


async def _consent(flows: Flows, who: FlowUser) -> None:
    await who.send("/start")
    await who.expect("개인정보 수집·이용 동의")


async def _eligibility(flows: Flows, who: FlowUser) -> None:
    await consent(who)
    await open_program(who, "IT 사무지원")
    await who.click("📝 신청하기")
    await who.expect("생년월일을 입력해 주세요")


async def _form(flows: Flows, who: FlowUser) -> None:
    await consent(who)
    await open_program(who, "IT 사무지원")
    await answer_eligibility(who)
    await who.expect("참여 자격 요건을 충족합니다")
    await who.click("신청서 작성 계속 ▶")
    await who.expect("이름(실명)")


def _command(text: str) -> Callable[[Flows, FlowUser], Awaitable[None]]:
    async def setup(flows: Flows, who: FlowUser) -> None:
        await grant_second_factor(flows.ctx, who.id)
        await who.send(text)

    return setup


async def _second_factor(flows: Flows, who: FlowUser) -> None:
    await who.send("/inbox")  # no second factor yet: the enrolment (QR, key, code) state


# case: (attacker, how to get them into a state, what they must never see, seed)
CASES = {
    "stranger": (7001, _nothing, OWN + FOREIGN, 11),
    "consent": (7002, _consent, OWN + FOREIGN, 12),
    "eligibility": (PARTICIPANT_2, _eligibility, OWN + FOREIGN, 13),
    "form": (PARTICIPANT_2, _form, OWN + FOREIGN, 14),
    "staff_inbox": (STAFF, _command("/inbox"), FOREIGN, 15),
    "staff_select": (STAFF, _command("/select"), FOREIGN, 16),
    "foreign_staff": (FOREIGN_STAFF, _command("/select"), OWN, 17),
    "head_handover": (HEAD, _command("/handover"), FOREIGN, 18),
    "center": (CENTER, _command("/approvals"), [], 19),
    "join": (7003, _command("/join"), OWN + FOREIGN, 20),
    "offline": (STAFF, _command("/offline"), FOREIGN, 21),
    "wizard": (STAFF, _command("/newprogram"), FOREIGN, 22),
    "totp": (STAFF, _second_factor, FOREIGN, 23),
}


async def _victims(flows: Flows) -> tuple[list[int], list[int]]:
    """The demo agency's applicant (mid-form) and another agency's; returns (app ids, all ids)."""
    pid = await program_id(flows.ctx, "intern")
    own = await make_participant(flows.ctx, PARTICIPANT, name=OWN[0], email=OWN[1], mobile=OWN[2])
    own_app = await make_application(flows.ctx, own, pid)
    agency, foreign_pid = await other_agency(flows, FOREIGN_STAFF)  # type: ignore[arg-type]
    foreign = await make_participant(
        flows.ctx, 5005, name=FOREIGN[0], email=FOREIGN[1], mobile=FOREIGN[2]
    )
    foreign_app = await make_application(flows.ctx, foreign, foreign_pid)
    key = _key(flows, PARTICIPANT)
    await flows.dp.storage.set_state(key, "Apply:email")
    await flows.dp.storage.set_data(key, VICTIM_FORM)
    ids = [own, own_app, foreign, foreign_app, pid, foreign_pid, agency, 1, 2, 3]
    return [own_app, foreign_app], ids


def _key(flows: Flows, telegram_id: int) -> StorageKey:
    return StorageKey(bot_id=flows.bot.id, chat_id=telegram_id, user_id=telegram_id)


async def _apps(flows: Flows, app_ids: list[int]) -> list[tuple[int, str, int | None]]:
    async with flows.ctx.db.session() as session:
        rows = await session.execute(
            select(Application.id, Application.state, Application.version)
            .where(Application.id.in_(app_ids))
            .order_by(Application.id)
        )
        return [tuple(r) for r in rows.all()]


@pytest.mark.parametrize("case", sorted(CASES))
async def test_random_updates_never_crash_leak_or_touch_others(flows: Flows, case: str) -> None:
    telegram_id, setup, secrets, seed = CASES[case]
    seed = int(os.environ.get("FUZZ_SEED", seed))
    app_ids, ids = await _victims(flows)
    attacker = flows.user(telegram_id)
    await setup(flows, attacker)
    group = groups.add_group(flows.playground, -100_000_000_000 - seed, "단톡방", "supergroup")
    group.member = True
    watched = app_ids if case in {"stranger", "consent", "eligibility", "form"} else app_ids[1:]
    if case == "foreign_staff":
        watched = app_ids[:1]
    before = await _apps(flows, watched)

    fuzzer = Fuzzer(flows, random.Random(seed), attacker, secrets, ids, group)
    await fuzzer.run(STEPS)

    victim = _key(flows, PARTICIPANT)
    assert await flows.dp.storage.get_state(victim) == "Apply:email"
    assert await flows.dp.storage.get_data(victim) == VICTIM_FORM
    assert await _apps(flows, watched) == before, fuzzer.log
