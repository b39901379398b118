"""/handover (agency head): pick the leaving staff member, the successor, see what moves, confirm.

| state      | input                          | next                                       |
|------------|--------------------------------|--------------------------------------------|
| (none)     | /handover (head)               | leaver                                     |
| leaver     | a staff button                 | successor                                  |
| successor  | a staff button (not the leaver) | confirm (the plan: programs, contacts, PM) |
| confirm    | 인수인계 실행                    | (cleared) done; leaver's access ended       |
| any        | ◀ 이전 / ✖ 취소 / other input    | previous step / cancelled / asked again     |
"""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.domain.errors import DomainError
from bot.i18n import Texts
from bot.keyboards.common import Button, NavCB, with_nav
from bot.keyboards.staff import HandoverCB
from bot.middlewares.access import staff_router
from bot.services import handover
from bot.services.context import AppContext
from bot.services.identity import Actor

router = staff_router("handover")


class Handover(StatesGroup):
    leaver = State()
    successor = State()
    confirm = State()


def _label(t: Texts, s: handover.StaffChoice) -> str:
    return t("handover.person", name=s.name, position=t(f"staff.position.{s.position}"))


async def _ask_leaver(bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts):
    people = await handover.agency_staff(ctx, actor)
    await state.set_state(Handover.leaver)
    rows: list[list[Button]] = [
        [(_label(t, s), HandoverCB(step="leaver", staff=s.id))] for s in people
    ]
    await bot.send_message(
        actor.telegram_id, t("handover.ask_leaver"), reply_markup=with_nav(t, rows)
    )


async def _ask_successor(bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts):
    leaver = int((await state.get_data())["leaver"])
    people = [s for s in await handover.agency_staff(ctx, actor) if s.id != leaver]
    await state.set_state(Handover.successor)
    if not people:
        await bot.send_message(
            actor.telegram_id, t("handover.no_successor"), reply_markup=with_nav(t, [], back=True)
        )
        return
    rows: list[list[Button]] = [
        [(_label(t, s), HandoverCB(step="successor", staff=s.id))] for s in people
    ]
    await bot.send_message(
        actor.telegram_id, t("handover.ask_successor"), reply_markup=with_nav(t, rows, back=True)
    )


def _names(t: Texts, names: list[str]) -> str:
    return ", ".join(names) if names else t("staff.none")


@router.message(Command("handover"))
async def handover_command(
    message: Message, bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    if not actor.is_head:
        await handover.agency_staff(ctx, actor)  # refuses (audited) with the reason
        return
    await state.clear()
    await _ask_leaver(bot, actor, ctx, state, t)


async def _close(query: CallbackQuery) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)


@router.callback_query(Handover.leaver, HandoverCB.filter(F.step == "leaver"))
async def leaver_chosen(
    query: CallbackQuery,
    callback_data: HandoverCB,
    bot: Bot,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    if callback_data.staff not in {s.id for s in await handover.agency_staff(ctx, actor)}:
        raise DomainError("handover.not_active")
    await _close(query)
    await state.update_data(leaver=callback_data.staff)
    await _ask_successor(bot, actor, ctx, state, t)


@router.callback_query(Handover.successor, HandoverCB.filter(F.step == "successor"))
async def successor_chosen(
    query: CallbackQuery,
    callback_data: HandoverCB,
    bot: Bot,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    leaver = int((await state.get_data())["leaver"])
    plan = await handover.plan(ctx, actor, leaver, callback_data.staff)
    await _close(query)
    await state.update_data(successor=callback_data.staff)
    await state.set_state(Handover.confirm)
    text = t(
        "handover.plan",
        leaver=plan.leaver.name,
        successor=plan.successor.name,
        owned=_names(t, plan.owned),
        contact=_names(t, plan.contact),
        manager=t("staff.yes") if plan.project_manager else t("staff.no"),
    )
    rows: list[list[Button]] = [[(t("handover.confirm"), HandoverCB(step="confirm"))]]
    await bot.send_message(actor.telegram_id, text, reply_markup=with_nav(t, rows, back=True))


@router.callback_query(Handover.confirm, HandoverCB.filter(F.step == "confirm"))
async def confirm(
    query: CallbackQuery, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    data = await state.get_data()
    plan = await handover.hand_over(ctx, actor, int(data["leaver"]), int(data["successor"]))
    await state.clear()
    await _close(query)
    if isinstance(query.message, Message):
        await query.message.answer(
            t(
                "handover.done",
                leaver=plan.leaver.name,
                successor=plan.successor.name,
                owned=len(plan.owned),
                contact=len(plan.contact),
            )
        )


@router.callback_query(StateFilter(Handover), NavCB.filter(F.action == "back"))
async def back(
    query: CallbackQuery, bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await _close(query)
    current = await state.get_state()
    if current == Handover.confirm.state:
        await _ask_successor(bot, actor, ctx, state, t)
    else:
        await _ask_leaver(bot, actor, ctx, state, t)


@router.message(StateFilter(Handover), ~F.text.startswith("/"))
async def use_buttons(message: Message, t: Texts) -> None:
    await message.answer(t("handover.use_buttons"))
