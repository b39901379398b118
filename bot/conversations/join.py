"""/join: a staff account request with the portal's fields, in the portal's order.

The items below are the flow's table: 성명, 법인명 (a paged list; typing part of a name
searches it), 본사/지사 (skipped when the corporation has one office), 직위, 이메일, 휴대전화,
직통번호, 팩스 (or 「팩스 없음」), 사업담당자 여부, 담당업무 and 권한 (toggles, at least one),
정보수신 동의, the signed 보안서약서 (document or photo), then the summary (✏ any field ·
📨 신청하기) → sent to the approvers. The /join command is in ``bot/handlers/flow_starts.py``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from bot.domain.errors import DomainError
from bot.forms.spec import Again, Answer, Finish, Flow, Option, Review, Step, Takes, Turn
from bot.i18n import Texts
from bot.services import staff_accounts as accounts
from bot.services.context import AppContext

CORP_PAGE = 8


class JoinData(BaseModel):
    name: str = ""
    corp_query: str | None = None
    corp_id: int | None = None
    corp_name: str = ""
    offices: list[tuple[int, str]] = []
    agency_id: int | None = None
    agency_name: str = ""
    project_name: str = ""
    position: str = ""
    email: str = ""
    mobile: str = ""
    phone: str = ""
    fax: str | None = None
    is_project_manager: bool | None = None
    duties: list[str] = []
    permissions: list[str] = []
    consent_info: bool | None = None
    pledge_file_id: int | None = None
    pledge_name: str = ""


def choice_id(value: str) -> int:
    """An id from callback data; crafted non-numbers are refused like any unknown choice."""
    if not value.isdigit():
        raise DomainError("staff.bad_choice")
    return int(value)


def _yes(value: Any) -> str:
    return "staff.yes" if value else "staff.no"


def render_form(t: Texts, f: dict[str, Any]) -> str:
    """The request as a summary (also what the approver sees)."""
    duties = ", ".join(t(f"staff.duty.{d}") for d in f.get("duties") or []) or "-"
    perms = ", ".join(t(f"staff.perm.{p}") for p in f.get("permissions") or []) or "-"
    position = f.get("position")
    return t(
        "staff.form",
        managing_body=accounts.MANAGING_BODY,
        name=f.get("name") or "-",
        agency=f.get("agency_name") or f.get("agency") or "-",
        project=f.get("project_name") or "-",
        position=t(f"staff.position.{position}") if position else "-",
        email=f.get("email") or "-",
        mobile=f.get("mobile") or "-",
        phone=f.get("phone") or "-",
        fax=f.get("fax") or t("staff.none"),
        manager=t(_yes(f.get("is_project_manager"))),
        duties=duties,
        permissions=perms,
        consent=t(_yes(f.get("consent_info"))),
        pledge=f.get("pledge_name") or "-",
    )


def _ask(key: str) -> Any:
    return lambda turn: turn.t(f"staff.join.ask_{key}")


def _text(clean: Any) -> Any:
    return lambda turn, answer: clean(answer.text or "")


async def _corps(turn: Turn[JoinData]) -> list[Option]:
    corps = await accounts.list_corporations(turn.ctx, turn.data.corp_query)
    options = [Option(str(c.id), c.corporate_name) for c in corps]
    if turn.data.corp_query:
        options.append(Option("*", turn.t("staff.join.corp_all")))
    return options


async def _set_office(turn: Turn[JoinData], agency_id: int) -> None:
    agency = await accounts.get_agency(turn.ctx, agency_id)
    data = turn.data
    data.agency_id, data.agency_name = agency.id, agency.display
    data.project_name = accounts.project_name(turn.ctx.today().year, agency)


async def _corp(turn: Turn[JoinData], answer: Answer) -> int:
    data = turn.data
    if answer.choice is None or answer.choice == "*":  # typed: a search; 전체 목록: no filter
        data.corp_query = (answer.text or "").strip()[:50] or None
        raise Again
    agency = await accounts.get_agency(turn.ctx, choice_id(answer.choice))
    data.corp_name, data.corp_query = agency.corporate_name, None
    offices = await accounts.list_offices(turn.ctx, agency.id)
    data.offices = [(o.id, o.branch_name or turn.t("staff.join.hq")) for o in offices]
    if len(offices) == 1:  # the office step is skipped
        await _set_office(turn, offices[0].id)
    return agency.id


async def _office(turn: Turn[JoinData], answer: Answer) -> int:
    chosen = choice_id(answer.choice or "")
    if chosen not in {oid for oid, _ in turn.data.offices}:
        raise DomainError("staff.bad_choice")
    await _set_office(turn, chosen)
    return chosen


def _choice(values: tuple[str, ...], label: str) -> Any:
    def options(turn: Turn[JoinData]) -> list[Option]:
        return [Option(v, turn.t(f"{label}.{v}")) for v in values]

    return options


def _pick(values: Any) -> Any:
    def parse(turn: Turn[JoinData], answer: Answer) -> str:
        if answer.choice not in values:
            raise DomainError("staff.bad_choice")
        return str(answer.choice)

    return parse


def _flag(turn: Turn[JoinData], answer: Answer) -> bool:
    if answer.choice not in ("1", "0"):
        raise DomainError("staff.bad_choice")
    return answer.choice == "1"


def _fax(turn: Turn[JoinData], answer: Answer) -> str | None:
    return None if answer.choice == "-" else accounts.clean_direct_line(answer.text or "")


def _at_least_one(key: str) -> Any:
    def parse(turn: Turn[JoinData], answer: Answer) -> list[str]:
        chosen = getattr(turn.data, key)
        if not chosen:
            raise DomainError("staff.choose_one")
        return list(chosen)

    return parse


async def _pledge(turn: Turn[JoinData], answer: Answer) -> tuple[int, str]:
    ref = answer.file
    assert ref is not None
    name = ref.name or ("pledge.jpg" if ref.photo else "pledge")
    accounts.check_upload(name, ref.size or 0)
    content = await turn.files.read(ref)
    stored = await accounts.save_upload(
        turn.ctx,
        turn.actor,
        kind="pledge",
        file_name=name,
        mime_type=ref.mime or "application/octet-stream",
        content=content,
        telegram_file_id=ref.id,
    )
    turn.say(turn.t("staff.join.pledge_saved", file=name))
    return stored, name


def _store_pledge(turn: Turn[JoinData], _: str, value: Any) -> None:
    turn.data.pledge_file_id, turn.data.pledge_name = value


async def _submit(turn: Turn[JoinData]) -> Finish:
    request_id = await accounts.submit_request(turn.ctx, turn.actor, turn.data.model_dump())
    return Finish(turn.t("staff.join.submitted", id=request_id))


def _yes_no(turn: Turn[JoinData]) -> list[Option]:
    return [Option("1", turn.t("staff.yes")), Option("0", turn.t("staff.no"))]


def _step(key: str, field: str, ask: Any, parse: Any, **more: Any) -> Step:
    return Step(key, ask, parse, f"staff.field.{field}", **more)


BUTTONS: dict[str, Any] = {"takes": frozenset(), "wrong_input": "staff.join.use_buttons"}
TEXT: dict[str, Any] = {"wrong_input": "staff.join.type_text"}


def flow(ctx: AppContext) -> Flow:
    items = (
        _step("name", "name", _ask("name"), _text(accounts.clean_name), **TEXT),
        _step(
            "corp_id",
            "corp",
            lambda turn: (
                turn.t("staff.join.corp_none", query=turn.data.corp_query)
                if turn.data.corp_query
                else turn.t("staff.join.ask_corp_short")
            ),
            _corp,
            show=lambda turn: turn.data.agency_name or turn.data.corp_name,
            options=_corps,
            page=CORP_PAGE,
            resets=("agency_id",),
        ),
        _step(
            "agency_id",
            "office",
            _ask("office"),
            _office,
            options=lambda turn: [Option(str(oid), name) for oid, name in turn.data.offices],
            when=lambda data: len(data.offices) > 1,
            section="office",
            **BUTTONS,
        ),
        _step(
            "position",
            "position",
            lambda turn: turn.t("staff.join.ask_position", project=turn.data.project_name or "-"),
            _pick(accounts.POSITIONS),
            show=lambda turn: turn.t(f"staff.position.{turn.data.position}"),
            options=_choice(accounts.POSITIONS, "staff.position"),
            **BUTTONS,
        ),
        _step("email", "email", _ask("email"), _text(accounts.clean_email), **TEXT),
        _step("mobile", "mobile", _ask("mobile"), _text(accounts.clean_mobile), **TEXT),
        _step("phone", "phone", _ask("phone"), _text(accounts.clean_direct_line), **TEXT),
        _step(
            "fax",
            "fax",
            _ask("fax"),
            _fax,
            show=lambda turn: turn.data.fax or turn.t("staff.none"),
            options=lambda turn: [Option("-", turn.t("staff.join.no_fax"))],
            **TEXT,
        ),
        _step(
            "is_project_manager",
            "manager",
            _ask("manager"),
            _flag,
            show=lambda turn: turn.t(_yes(turn.data.is_project_manager)),
            options=_yes_no,
            **BUTTONS,
        ),
        _step(
            "duties",
            "duties",
            _ask("duties"),
            _at_least_one("duties"),
            show=lambda turn: ", ".join(turn.t(f"staff.duty.{d}") for d in turn.data.duties),
            options=_choice(accounts.DUTIES, "staff.duty"),
            multi="staff.join.done_choosing",
            **BUTTONS,
        ),
        _step(
            "permissions",
            "permissions",
            _ask("permissions"),
            _at_least_one("permissions"),
            show=lambda turn: ", ".join(turn.t(f"staff.perm.{p}") for p in turn.data.permissions),
            options=_choice(accounts.PERMISSIONS, "staff.perm"),
            multi="staff.join.done_choosing",
            **BUTTONS,
        ),
        _step(
            "consent_info",
            "consent",
            _ask("consent"),
            _flag,
            show=lambda turn: turn.t(_yes(turn.data.consent_info)),
            options=lambda turn: [
                Option("1", turn.t("staff.join.consent_yes")),
                Option("0", turn.t("staff.join.consent_no")),
            ],
            **BUTTONS,
        ),
        _step(
            "pledge",
            "pledge",
            _ask("pledge"),
            _pledge,
            show=lambda turn: turn.data.pledge_name,
            takes=frozenset({Takes.FILE, Takes.PHOTO}),
            store=_store_pledge,
            forget=lambda turn, _: None,
            wrong_input="staff.join.pledge_expected",
        ),
        Review(
            key="summary",
            text=lambda turn: (
                turn.t("staff.join.summary_title")
                + "\n\n"
                + render_form(turn.t, turn.data.model_dump())
            ),
            sections=("main",),
            edit_label="staff.join.edit",
            finish=_submit,
            finish_label=lambda turn: turn.t("staff.join.submit"),
        ),
    )
    return Flow(name="join", model=JoinData, items=items)
