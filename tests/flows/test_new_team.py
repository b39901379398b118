"""A new team in /assign (a form-engine step) through the real dispatcher: a refused name asks
again, ◀ 이전 returns to the list whose buttons still work, a team opened from a person's choice
takes that person in."""

from __future__ import annotations

from tests.e2e.chain import on_roster, unlock_staff
from tests.factories import program_id
from tests.flows.harness import Flows
from tests.world import PARTICIPANT, STAFF


async def test_name_refusals_back_and_a_team_for_a_person(flows: Flows) -> None:
    await unlock_staff(flows)
    pid = await program_id(flows.ctx, "project")
    await on_roster(flows, pid, [(PARTICIPANT, "김청년")])
    staff = flows.user(STAFF)
    await staff.send("/assign")
    await staff.click("ESG")
    await staff.click("＋ 새 팀 만들기")
    await staff.expect("새 팀 이름")
    await staff.send("가" * 31)
    await staff.expect("새 팀 이름")  # refused: asked again
    await staff.click("◀ 이전")
    await staff.expect("아직 팀이 없습니다")
    await staff.click("김청년 · 미배정")  # the list's buttons act
    await staff.expect("배정할 팀을 고르세요")
    await staff.click("＋ 새 팀 만들기")
    await staff.send("데이터팀")
    done = await staff.expect("‘데이터팀’ 팀을 만들었습니다")
    assert "김청년 님을 데이터팀에 배정했습니다" in done.text and "데이터팀 — 1명" in done.text
