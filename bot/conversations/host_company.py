"""Adding host companies (참여기업) to a program, one after another (a looping flow).

Started from the company list (``host_company_list``: ➕ 참여기업 추가). The items below are the
flow's table. 임금체불 / 중대재해 "예" stops the round at once: the refusal is explained (and
audited), the answer can be changed, or the next company added (➕ 다른 기업 추가) — the program
is kept, nothing is retyped. After 💾 저장 the same button offers the next company, under the
list. A bad or duplicate 사업자등록번호 is explained and asked again.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from bot.domain.errors import DomainError
from bot.domain.identifiers import format_brn
from bot.forms.screens import refusal
from bot.forms.spec import Answer, Exit, Finish, Flow, Loop, Option, Review, Step, Stop, Turn
from bot.services import host_companies as hc
from bot.services.context import AppContext
from bot.services.host_companies import HEADCOUNT_RANGE, INSURED_RANGE, CompanyInput
from bot.services.program_fields import COMPANY_TYPES

FATAL = frozenset({"roster.locked", "progreg.closed", "access.agency", "access.denied"})
TO_LIST = Exit("hostco.btn_list", "companies")


class CompanyData(BaseModel):
    pid: int
    ptype: str
    program_address: str = ""
    name: str = ""
    brn: str | None = None
    overseas: bool = False
    arrears: bool | None = None
    accident: bool | None = None
    insured_count: int | None = None
    address: str = ""
    work_address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    headcount: int | None = None


def next_company(data: CompanyData) -> CompanyData:
    return CompanyData(pid=data.pid, ptype=data.ptype, program_address=data.program_address)


def _ask(key: str, **params: Any) -> Any:
    return lambda turn: turn.t(f"hostco.ask.{key}", **params)


def _text(clean: Any, *args: Any) -> Any:
    return lambda turn, answer: clean(answer.text or "", *args)


async def _brn(turn: Turn[CompanyData], answer: Answer) -> tuple[str | None, bool]:
    data = turn.data
    if answer.choice == "overseas":
        await hc.check_overseas_name(turn.ctx, turn.actor, data.pid, data.name)
        turn.say(turn.t("hostco.overseas_note"))
        return None, True
    return await hc.check_brn(turn.ctx, turn.actor, data.pid, answer.text or ""), False


def _store_brn(turn: Turn[CompanyData], _: str, value: Any) -> None:
    turn.data.brn, turn.data.overseas = value
    if turn.data.overseas:
        turn.data.insured_count = None


def _restriction(which: str) -> Any:
    async def parse(turn: Turn[CompanyData], answer: Answer) -> bool:
        if answer.choice not in ("1", "0"):
            raise DomainError("staff.bad_choice")
        flag = answer.choice == "1"
        data = turn.data
        try:  # a "yes" is refused and audited; the stop rule explains it
            await hc.screen_restrictions(
                turn.ctx,
                turn.actor,
                data.pid,
                data.name,
                data.brn,
                wage_arrears=which == "arrears" and flag,
                serious_accident=which == "accident" and flag,
            )
        except DomainError as error:
            if error.code not in ("hostco.wage_arrears", "hostco.serious_accident"):
                raise
        return flag

    return parse


def _yes_no(turn: Turn[CompanyData]) -> list[Option]:
    return [Option("1", turn.t("hostco.btn_yes")), Option("0", turn.t("hostco.btn_no"))]


def _yes_no_shown(key: str) -> Any:
    return lambda turn: turn.t("hostco.btn_yes" if getattr(turn.data, key) else "hostco.btn_no")


def stop(turn: Turn[CompanyData]) -> Stop | None:
    data = turn.data
    try:
        hc.check_restrictions(data.name, bool(data.arrears), bool(data.accident))
    except DomainError as error:
        step = "arrears" if data.arrears else "accident"
        return Stop(refusal(turn.t, error), (step,))
    return None


def _work_address(turn: Turn[CompanyData], answer: Answer) -> str:
    if answer.choice == "program":
        return turn.data.program_address
    return hc.clean_name(answer.text or "", 300)


def _confirm(turn: Turn[CompanyData]) -> str:
    t, co = turn.t, turn.data
    brn = format_brn(co.brn) if co.brn else t("hostco.overseas_flag")
    lines = [
        t("hostco.confirm_title"),
        t("hostco.confirm_name", value=co.name),
        t("hostco.confirm_brn", value=brn),
        t("hostco.confirm_restrictions"),
    ]
    if co.insured_count is not None:
        lines.append(t("hostco.confirm_insured", n=co.insured_count))
    lines += [
        t("hostco.confirm_address", value=co.address),
        t("hostco.confirm_work_address", value=co.work_address),
        t("hostco.confirm_contact", name=co.contact_name, phone=co.contact_phone),
    ]
    if co.ptype in COMPANY_TYPES:
        lines.append(t("hostco.confirm_headcount", n=co.headcount or 0))
    lines.append(t("hostco.confirm_check_note"))
    return "\n".join(lines)


async def _save(turn: Turn[CompanyData]) -> Finish:
    co = turn.data
    company_input = CompanyInput(
        name=co.name,
        brn=co.brn,
        overseas=co.overseas,
        wage_arrears=bool(co.arrears),
        serious_accident=bool(co.accident),
        insured_count=co.insured_count,
        address=co.address,
        work_address=co.work_address,
        contact_name=co.contact_name,
        contact_phone=co.contact_phone,
        headcount=co.headcount,
    )
    try:
        company = await hc.add_company(turn.ctx, turn.actor, co.pid, company_input)
    except DomainError as error:
        if error.code in FATAL:
            raise
        return Finish(refusal(turn.t, error), exit="companies")  # explained; the next one
    return Finish(turn.t("hostco.added", name=company.name), exit="companies")


def _step(key: str, ask: Any, parse: Any, **more: Any) -> Step:
    return Step(key, ask, parse, f"hostco.f.{key}", **more)


def flow(ctx: AppContext) -> Flow:
    items = (
        _step("name", _ask("name"), _text(hc.clean_name)),
        _step(
            "brn",
            _ask("brn"),
            _brn,
            show=lambda turn: (
                format_brn(turn.data.brn) if turn.data.brn else turn.t("hostco.overseas_flag")
            ),
            options=lambda turn: [Option("overseas", turn.t("hostco.btn_overseas"))],
            store=_store_brn,
        ),
        _step(
            "arrears",
            _ask("arrears"),
            _restriction("arrears"),
            show=_yes_no_shown("arrears"),
            options=_yes_no,
            takes=frozenset(),
            wrong_input="progreg.use_buttons",
        ),
        _step(
            "accident",
            _ask("accident"),
            _restriction("accident"),
            show=_yes_no_shown("accident"),
            options=_yes_no,
            takes=frozenset(),
            wrong_input="progreg.use_buttons",
        ),
        _step(
            "insured_count",
            _ask("insured", min=INSURED_RANGE[0]),
            _text(hc.clean_count, *INSURED_RANGE),
            when=lambda data: not data.overseas,
        ),
        _step("address", _ask("address"), _text(hc.clean_name, 300)),
        _step(
            "work_address",
            lambda turn: (
                turn.t("hostco.ask.work_address_same", program_address=turn.data.program_address)
                if turn.data.program_address
                else turn.t("hostco.ask.work_address")
            ),
            _work_address,
            options=lambda turn: (
                [Option("program", turn.t("hostco.btn_same_place"))]
                if turn.data.program_address
                else []
            ),
        ),
        _step("contact_name", _ask("contact_name"), _text(hc.clean_name, 100)),
        _step("contact_phone", _ask("contact_phone"), _text(hc.clean_contact_phone)),
        _step(
            "headcount",
            _ask("headcount", max=HEADCOUNT_RANGE[1]),
            _text(hc.clean_count, *HEADCOUNT_RANGE),
            when=lambda data: data.ptype in COMPANY_TYPES,
        ),
        Review(
            key="confirm",
            text=_confirm,
            sections=("main",),
            finish=_save,
            finish_label=lambda turn: turn.t("hostco.btn_save"),
        ),
    )
    return Flow(
        name="hostco",
        model=CompanyData,
        items=items,
        stop=stop,
        stop_exits=(TO_LIST,),
        loop=Loop("hostco.btn_add_other", next_company),
        fatal=FATAL,
        back_exit="companies",
    )
