"""Adding a host company (참여기업) to a program, after its draft exists.

Adding a host company (state ``CompanyFlow.step``, the step in the state data):

| step          | input                                       | next                        |
|---------------|---------------------------------------------|-----------------------------|
| name          | the workplace name                          | brn                         |
| brn           | 사업자등록번호 (check digit, once) / 해외기업 | arrears                     |
| arrears       | 임금체불 예/아니요 — 예 → refused, ends       | accident                    |
| accident      | 중대재해 예/아니요 — 예 → refused, ends       | insured (overseas: address) |
| insured       | 피보험자수 (the center confirms it later)      | address                     |
| address       | 소재지                                       | work_address                |
| work_address  | 일경험 수행주소 / "프로그램 수행장소와 같음"     | contact_name                |
| contact_name  | 담당자 (center only)                          | contact_phone               |
| contact_phone | 담당자 전화 (center only; mobile is fine)      | headcount (intern/ESG)      |
| headcount     | 모집인원                                      | confirm                     |
| confirm       | 저장 → added, the company list                | (cleared)                   |
Every step: bad input → the reason and the same question; ◀ 이전 → the previous step; text where
buttons are expected → the question again with its buttons.

The company list and deleting are ``host_company_list``; jobs (project type) are ``program_jobs``;
changing a head count is ``program_headcounts``.
"""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.conversations.host_company_list import show_companies
from bot.conversations.program_common import (
    FATAL,
    NOT_COMMAND,
    end_if_fatal,
    program_router,
    retire_question,
    send_question,
    take_callback,
    with_extra,
)
from bot.domain.errors import DomainError
from bot.domain.identifiers import format_brn
from bot.i18n import Texts
from bot.keyboards.common import Button, NavCB, inline, nav_row
from bot.keyboards.programs import CompanyStepCB, ProgCB
from bot.middlewares.refusals import refusal_text
from bot.services import host_companies, program_registry
from bot.services.context import AppContext
from bot.services.host_companies import HEADCOUNT_RANGE, INSURED_RANGE, CompanyInput
from bot.services.identity import Actor
from bot.services.program_fields import COMPANY_TYPES

router = program_router("host_company", permission="program")


class CompanyFlow(StatesGroup):
    step = State()


class AtStep(Filter):
    async def __call__(
        self, query: CallbackQuery, state: FSMContext, callback_data: CompanyStepCB
    ) -> bool:
        return (await state.get_data()).get("step") == callback_data.step


def _steps(details_type: str, overseas: bool) -> list[str]:
    steps = ["name", "brn", "arrears", "accident"]
    if not overseas:
        steps.append("insured")
    steps += ["address", "work_address", "contact_name", "contact_phone"]
    if details_type in COMPANY_TYPES:
        steps.append("headcount")
    steps.append("confirm")
    return steps


async def _ask_step(
    message: Message, state: FSMContext, t: Texts, step: str, extra: str = ""
) -> None:
    data = await state.get_data()
    data["step"] = step
    await state.set_state(CompanyFlow.step)
    await state.set_data(data)
    co: dict[str, Any] = data.get("co", {})
    rows: list[list[Button]] = []
    params: dict[str, Any] = {}
    if step == "brn":
        rows.append([(t("hostco.btn_overseas"), CompanyStepCB(step=step, value="overseas"))])
    elif step in ("arrears", "accident"):
        rows.append(
            [
                (t("hostco.btn_yes"), CompanyStepCB(step=step, value="1")),
                (t("hostco.btn_no"), CompanyStepCB(step=step, value="0")),
            ]
        )
    elif step == "work_address" and data.get("program_address"):
        params["program_address"] = data["program_address"]
        rows.append([(t("hostco.btn_same_place"), CompanyStepCB(step=step, value="program"))])
    elif step == "insured":
        params = {"min": INSURED_RANGE[0]}
    elif step == "headcount":
        params = {"max": HEADCOUNT_RANGE[1]}
    if step == "confirm":
        text = _confirm_text(t, co, with_headcount=data.get("ptype") in COMPANY_TYPES)
        rows.append([(t("hostco.btn_save"), CompanyStepCB(step=step, value="save"))])
    else:
        key = (
            "hostco.ask.work_address_same" if "program_address" in params else f"hostco.ask.{step}"
        )
        text = t(key, **params)
    rows.append(nav_row(t, back=True))
    await send_question(message, state, with_extra(text, extra), inline(rows))


def _confirm_text(t: Texts, co: dict[str, Any], *, with_headcount: bool) -> str:
    lines = [
        t("hostco.confirm_title"),
        t("hostco.confirm_name", value=co.get("name", "")),
        t(
            "hostco.confirm_brn",
            value=format_brn(co["brn"]) if co.get("brn") else t("hostco.overseas_flag"),
        ),
        t("hostco.confirm_restrictions"),
    ]
    if co.get("insured_count") is not None:
        lines.append(t("hostco.confirm_insured", n=co["insured_count"]))
    lines += [
        t("hostco.confirm_address", value=co.get("address", "")),
        t("hostco.confirm_work_address", value=co.get("work_address", "")),
        t(
            "hostco.confirm_contact",
            name=co.get("contact_name", ""),
            phone=co.get("contact_phone", ""),
        ),
    ]
    if with_headcount:
        lines.append(t("hostco.confirm_headcount", n=co.get("headcount", 0)))
    lines.append(t("hostco.confirm_check_note"))
    return "\n".join(lines)


@router.callback_query(ProgCB.filter(F.action == "addco"))
async def add_company_start(
    query: CallbackQuery,
    callback_data: ProgCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    message = await take_callback(query)
    if message is None:
        return
    details = await program_registry.editable_details(ctx, actor, callback_data.pid)
    await state.clear()
    await state.set_data(
        {
            "pid": details.program.id,
            "ptype": details.program.type,
            "program_address": details.program.work_address or "",
            "co": {},
        }
    )
    await _ask_step(message, state, t, "name")


async def _next_step(message: Message, state: FSMContext, t: Texts, after: str) -> None:
    data = await state.get_data()
    steps = _steps(data.get("ptype", "intern"), bool(data.get("co", {}).get("overseas")))
    index = steps.index(after) + 1 if after in steps else 0
    await _ask_step(message, state, t, steps[index])


async def _store(state: FSMContext, **values: Any) -> None:
    data = await state.get_data()
    co = dict(data.get("co", {}))
    co.update(values)
    await state.update_data(co=co)


async def _company_text(
    message: Message, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts, text: str
) -> None:
    data = await state.get_data()
    step, pid = data.get("step", "name"), data["pid"]
    try:
        if step == "name":
            await _store(state, name=host_companies.clean_name(text))
        elif step == "brn":
            brn = await host_companies.check_brn(ctx, actor, pid, text)
            await _store(state, brn=brn, overseas=False)
        elif step == "insured":
            await _store(state, insured_count=host_companies.clean_count(text, *INSURED_RANGE))
        elif step in ("address", "work_address"):
            await _store(state, **{step: host_companies.clean_name(text, 300)})
        elif step == "contact_name":
            await _store(state, contact_name=host_companies.clean_name(text, 100))
        elif step == "contact_phone":
            await _store(state, contact_phone=host_companies.clean_contact_phone(text))
        elif step == "headcount":
            await _store(state, headcount=host_companies.clean_count(text, *HEADCOUNT_RANGE))
        else:
            await _ask_step(message, state, t, step, t("progreg.use_buttons"))
            return
    except DomainError as error:
        await end_if_fatal(state, error)
        await _ask_step(message, state, t, step, refusal_text(t, error))
        return
    await _next_step(message, state, t, step)


@router.message(CompanyFlow.step, F.text, NOT_COMMAND)
async def company_text(
    message: Message, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    await retire_question(message, state)
    await _company_text(message, state, ctx, actor, t, message.text or "")


@router.message(CompanyFlow.step, NOT_COMMAND)
async def company_other(message: Message, state: FSMContext, t: Texts) -> None:
    await retire_question(message, state)
    step = (await state.get_data()).get("step", "name")
    await _ask_step(message, state, t, step, t("progreg.text_please"))


@router.callback_query(CompanyFlow.step, CompanyStepCB.filter(), AtStep())
async def company_choice(
    query: CallbackQuery,
    callback_data: CompanyStepCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    message = await take_callback(query, retire=True)
    if message is None:
        return
    data = await state.get_data()
    pid, step, value = data["pid"], callback_data.step, callback_data.value
    co = data.get("co", {})
    try:
        if step == "brn" and value == "overseas":
            await host_companies.check_overseas_name(ctx, actor, pid, co.get("name", ""))
            await _store(state, brn=None, overseas=True, insured_count=None)
            await message.answer(t("hostco.overseas_note"))
        elif step in ("arrears", "accident"):
            flag = value == "1"
            await _store(state, **{step: flag})
            await host_companies.screen_restrictions(
                ctx,
                actor,
                pid,
                co.get("name", ""),
                co.get("brn"),
                wage_arrears=step == "arrears" and flag,
                serious_accident=step == "accident" and flag,
            )
        elif step == "work_address" and value == "program":
            await _store(state, work_address=data.get("program_address", ""))
        elif step == "confirm" and value == "save":
            await _save_company(message, state, ctx, actor, t)
            return
        else:
            return
    except DomainError as error:
        if error.code in ("hostco.wage_arrears", "hostco.serious_accident"):
            await state.clear()
            await message.answer(
                refusal_text(t, error),
                reply_markup=inline(
                    [
                        [(t("hostco.btn_add_other"), ProgCB(action="addco", pid=pid))],
                        [(t("hostco.btn_list"), ProgCB(action="companies", pid=pid))],
                    ]
                ),
            )
            return
        await end_if_fatal(state, error)
        await _ask_step(message, state, t, step, refusal_text(t, error))
        return
    await _next_step(message, state, t, step)


async def _save_company(
    message: Message, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    data = await state.get_data()
    pid, co = data["pid"], data.get("co", {})
    try:
        company = await host_companies.add_company(
            ctx,
            actor,
            pid,
            CompanyInput(
                name=co.get("name", ""),
                brn=co.get("brn"),
                overseas=bool(co.get("overseas")),
                wage_arrears=bool(co.get("arrears")),
                serious_accident=bool(co.get("accident")),
                insured_count=co.get("insured_count"),
                address=co.get("address", ""),
                work_address=co.get("work_address", ""),
                contact_name=co.get("contact_name", ""),
                contact_phone=co.get("contact_phone", ""),
                headcount=co.get("headcount"),
            ),
        )
    except DomainError as error:
        await state.clear()
        if error.code in FATAL:
            raise
        await message.answer(
            refusal_text(t, error),
            reply_markup=inline([[(t("hostco.btn_list"), ProgCB(action="companies", pid=pid))]]),
        )
        return
    await state.clear()
    await message.answer(t("hostco.added", name=company.name))
    await show_companies(message, ctx, actor, t, pid)


@router.callback_query(CompanyFlow.step, NavCB.filter(F.action == "back"))
async def company_back(
    query: CallbackQuery, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    message = await take_callback(query, retire=True)
    if message is None:
        return
    data = await state.get_data()
    step = data.get("step", "name")
    steps = _steps(data.get("ptype", "intern"), bool(data.get("co", {}).get("overseas")))
    index = steps.index(step) if step in steps else 0
    if index == 0:
        await state.clear()
        await show_companies(message, ctx, actor, t, data["pid"])
        return
    await _ask_step(message, state, t, steps[index - 1])
