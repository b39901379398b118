"""Every form flow's buttons pass its own gate (``bot.forms.routing.FlowGates``): a button of a
staff or center flow, pressed (or forged) by someone without that role, is refused and does
nothing — the one router for all flows must not let one flow's gate stand for another's."""

from __future__ import annotations

import pytest

from bot.forms.registry import FlowName, gate_of
from bot.forms.screens import Act
from bot.forms.telegram import FormCB
from bot.services.identity import Role
from tests.flows.harness import Flows

PARTICIPANT = 7_300_401
NEED_ACCOUNT = "운영기관 담당자 전용 기능입니다"
# the flows with a gate that leaves participants out (staff, heads, the center)
GATED = [n for n in FlowName if gate_of(n)[0] and Role.PARTICIPANT not in gate_of(n)[0]]


@pytest.mark.parametrize("flow", GATED, ids=lambda f: f.value)
async def test_a_participant_pressing_a_staff_flow_button_is_refused(
    flows: Flows, flow: FlowName
) -> None:
    person = flows.user(PARTICIPANT, "버튼청년")
    await person.send("/start")
    await person.expect("개인정보 수집·이용 동의")
    before = len(person.chat.visible())
    forged = FormCB(flow=flow, seq=0, act=Act.PROCEED, value="").pack()
    pressed = await person.forge(forged)
    assert NEED_ACCOUNT in person.answer_of(pressed)
    assert len(person.chat.visible()) == before  # nothing said, nothing started
    state = await flows.dp.fsm.get_context(flows.bot, PARTICIPANT, PARTICIPANT).get_state()
    assert state is not None and not state.startswith(f"form:{flow.value}:")
