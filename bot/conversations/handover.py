"""/handover (agency head) on the form engine: the leaving staff member, the successor, the plan
(what moves), then 인수인계 실행. The declaration in ``flow()`` is the flow's table.

The plan is worked out by the service when the successor is chosen (a refusal — the same
person, someone no longer active — asks again); the hand-over itself re-checks everything.
"""

from __future__ import annotations

from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from pydantic import BaseModel

from bot.domain.errors import DomainError
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.forms.spec import Answer, Finish, Flow, Option, Review, Step, Turn
from bot.i18n import Texts
from bot.middlewares.access import staff_router
from bot.services import handover
from bot.services.context import AppContext
from bot.services.identity import Actor

router = staff_router("handover")


class HandoverData(BaseModel):
    staff: list[tuple[int, str]] = []  # (staff account id, "name (position)") of the agency
    leaver: int | None = None
    successor: int | None = None
    plan: str = ""  # the plan as the review shows it


def _name(data: HandoverData, staff_id: int | None) -> str:
    return next((label for sid, label in data.staff if sid == staff_id), "")


def _people(turn: Turn[HandoverData], leaving: bool) -> list[Option]:
    data = turn.data
    return [Option(str(sid), label) for sid, label in data.staff if leaving or sid != data.leaver]


def _chosen(turn: Turn[HandoverData], answer: Answer, leaving: bool) -> int:
    options = {o.value for o in _people(turn, leaving)}
    if answer.choice not in options:
        raise DomainError("handover.not_active")
    return int(answer.choice)


async def _successor(turn: Turn[HandoverData], answer: Answer) -> int:
    successor = _chosen(turn, answer, leaving=False)
    t, data = turn.t, turn.data
    assert data.leaver is not None
    plan = await handover.plan(turn.ctx, turn.actor, data.leaver, successor)
    data.plan = t(
        "handover.plan",
        leaver=plan.leaver.name,
        successor=plan.successor.name,
        owned=_names(t, plan.owned),
        contact=_names(t, plan.contact),
        manager=t("staff.yes") if plan.project_manager else t("staff.no"),
    )
    return successor


def _names(t: Texts, names: list[str]) -> str:
    return ", ".join(names) if names else t("staff.none")


def _label(t: Texts, person: handover.StaffChoice) -> str:
    return t("handover.person", name=person.name, position=t(f"staff.position.{person.position}"))


def _ask_successor(turn: Turn[HandoverData]) -> str:
    has_one = bool(_people(turn, leaving=False))
    return turn.t("handover.ask_successor" if has_one else "handover.no_successor")


async def _hand_over(turn: Turn[HandoverData]) -> Finish:
    data, t = turn.data, turn.t
    assert data.leaver is not None and data.successor is not None
    plan = await handover.hand_over(turn.ctx, turn.actor, data.leaver, data.successor)
    return Finish(
        t(
            "handover.done",
            leaver=plan.leaver.name,
            successor=plan.successor.name,
            owned=len(plan.owned),
            contact=len(plan.contact),
        )
    )


def flow(ctx: AppContext) -> Flow:
    return Flow(
        name="handover",
        model=HandoverData,
        items=(
            Step(
                "leaver",
                lambda turn: turn.t("handover.ask_leaver"),
                lambda turn, answer: _chosen(turn, answer, leaving=True),
                "handover.f.leaver",
                show=lambda turn: _name(turn.data, turn.data.leaver),
                options=lambda turn: _people(turn, leaving=True),
                takes=frozenset(),
                wrong_input="forms.use_buttons",
            ),
            Step(
                "successor",
                _ask_successor,
                _successor,
                "handover.f.successor",
                show=lambda turn: _name(turn.data, turn.data.successor),
                options=lambda turn: _people(turn, leaving=False),
                takes=frozenset(),
                wrong_input="forms.use_buttons",
            ),
            Review(
                "plan",
                lambda turn: turn.data.plan,
                sections=("main",),
                finish=_hand_over,
                finish_label=lambda turn: turn.t("handover.confirm"),
            ),
        ),
        fatal=frozenset({"handover.not_active"}),  # someone left meanwhile: start again
    )


@router.message(Command("handover"))
async def handover_command(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    if not actor.is_head:
        await handover.agency_staff(ctx, actor)  # refuses (audited) with the reason
        return
    await state.clear()
    people = await handover.agency_staff(ctx, actor)
    data = HandoverData(staff=[(s.id, _label(t, s)) for s in people])
    await forms.begin(message, state, ctx, t, actor, FlowName.HANDOVER, data)
