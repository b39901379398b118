"""/join: a staff account request with the portal's fields, in the portal's order.

| state        | input                                  | next                              |
|--------------|----------------------------------------|-----------------------------------|
| (none) /join | may request                            | name                              |
| name         | 성명 (text)                             | corp                              |
| corp         | 법인명 button · text = search · page    | office (skipped when only one)    |
| office       | 본사 / 지사 button                      | position (사업명 filled in)        |
| position     | 기관장 / 담당자                          | email                             |
| email        | text                                   | mobile                            |
| mobile       | text (a mobile number)                 | phone                             |
| phone        | text (a direct line; mobile refused)   | fax                               |
| fax          | text, or 「없음」                        | manager                           |
| manager      | 예 / 아니요 (수탁기관사업담당자 여부)       | duties                            |
| duties       | toggles, 「선택 완료」 (≥ 1)              | permissions                       |
| permissions  | toggles, 「선택 완료」 (≥ 1)              | consent                           |
| consent      | 동의 / 동의 안 함 (정보수신, optional)     | pledge                            |
| pledge       | signed 보안서약서 file (document/photo)   | summary                           |
| summary      | ✏️ field → that step → summary · 신청     | (cleared) sent to approvers       |
Every step: ◀ 이전 (the previous step, or the summary while editing) and ✖ 취소 / /cancel.
Wrong input re-asks the same step with the reason; free text where buttons are expected re-asks.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.domain.errors import DomainError
from bot.i18n import Texts
from bot.keyboards.common import Button, NavCB, with_nav
from bot.keyboards.staff import JoinCB
from bot.middlewares.refusals import refusal_text
from bot.services import staff_accounts as accounts
from bot.services.context import AppContext
from bot.services.identity import Actor

router = Router(name="join")

CORP_PAGE = 8
NOT_COMMAND = ~F.text.startswith("/")  # commands go on to their own routers


class Join(StatesGroup):
    name = State()
    corp = State()
    office = State()
    position = State()
    email = State()
    mobile = State()
    phone = State()
    fax = State()
    manager = State()
    duties = State()
    permissions = State()
    consent = State()
    pledge = State()
    summary = State()


STEPS = [
    "name",
    "corp",
    "office",
    "position",
    "email",
    "mobile",
    "phone",
    "fax",
    "manager",
    "duties",
    "permissions",
    "consent",
    "pledge",
    "summary",
]
EDITABLE = [s for s in STEPS if s not in ("office", "summary")]
TEXT_STEPS = {
    "name": accounts.clean_name,
    "email": accounts.clean_email,
    "mobile": accounts.clean_mobile,
    "phone": accounts.clean_direct_line,
    "fax": accounts.clean_direct_line,
}


def _state(step: str) -> State:
    return getattr(Join, step)


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


def _toggles(t: Texts, field: str, chosen: list[str], options: tuple[str, ...], label: str):
    rows: list[list[Button]] = [
        [(("☑ " if o in chosen else "☐ ") + t(f"{label}.{o}"), JoinCB(field=field, value=o))]
        for o in options
    ]
    rows.append([(t("staff.join.done_choosing"), JoinCB(field=f"{field}_done"))])
    return rows


async def _corp_markup(
    ctx: AppContext, t: Texts, data: dict[str, Any], back: bool
) -> tuple[str, InlineKeyboardMarkup]:
    query = data.get("corp_query")
    corps = await accounts.list_corporations(ctx, query)
    page = int(data.get("corp_page") or 0)
    pages = max((len(corps) + CORP_PAGE - 1) // CORP_PAGE, 1)
    page = min(page, pages - 1)
    rows: list[list[Button]] = [
        [(c.corporate_name, JoinCB(field="corp", value=str(c.id)))]
        for c in corps[page * CORP_PAGE : (page + 1) * CORP_PAGE]
    ]
    paging: list[Button] = []
    if page > 0:
        paging.append((t("staff.page_prev"), JoinCB(field="corp_page", value=str(page - 1))))
    if page < pages - 1:
        paging.append((t("staff.page_next"), JoinCB(field="corp_page", value=str(page + 1))))
    rows.append(paging)
    if query:
        rows.append([(t("staff.join.corp_all"), JoinCB(field="corp_search", value=""))])
    if not corps and not query:
        text = t("staff.join.no_agencies")
    elif not corps:
        text = t("staff.join.corp_none", query=query)
    else:
        text = t("staff.join.ask_corp", page=page + 1, pages=pages)
    return text, with_nav(t, rows, back=back)


async def ask(
    bot: Bot, chat_id: int, ctx: AppContext, state: FSMContext, t: Texts, step: str
) -> None:
    """Show a step's question with its buttons and move the conversation to it."""
    await state.set_state(_state(step))
    data = await state.get_data()
    editing = bool(data.get("editing"))
    back = step != "name" or editing
    rows: list[list[Button]] = []
    text = t(f"staff.join.ask_{step}") if step not in ("corp", "position", "summary") else ""
    if step == "corp":
        text, markup = await _corp_markup(ctx, t, data, back)
        await bot.send_message(chat_id, text, reply_markup=markup)
        return
    if step == "office":
        offices = await accounts.list_offices(ctx, int(data["corp_id"]))
        rows = [
            [(o.branch_name or t("staff.join.hq"), JoinCB(field="office", value=str(o.id)))]
            for o in offices
        ]
    elif step == "position":
        text = t("staff.join.ask_position", project=data.get("project_name") or "-")
        rows = [
            [(t(f"staff.position.{p}"), JoinCB(field="position", value=p))]
            for p in accounts.POSITIONS
        ]
    elif step == "fax":
        rows = [[(t("staff.join.no_fax"), JoinCB(field="fax", value="-"))]]
    elif step == "manager":
        rows = [
            [
                (t("staff.yes"), JoinCB(field="manager", value="1")),
                (t("staff.no"), JoinCB(field="manager", value="0")),
            ]
        ]
    elif step == "duties":
        rows = _toggles(t, "duty", data.get("duties") or [], accounts.DUTIES, "staff.duty")
    elif step == "permissions":
        rows = _toggles(
            t, "perm", data.get("permissions") or [], accounts.PERMISSIONS, "staff.perm"
        )
    elif step == "consent":
        rows = [
            [(t("staff.join.consent_yes"), JoinCB(field="consent", value="1"))],
            [(t("staff.join.consent_no"), JoinCB(field="consent", value="0"))],
        ]
    elif step == "summary":
        text = t("staff.join.summary_title") + "\n\n" + render_form(t, data)
        edit_rows: list[list[Button]] = []
        pair: list[Button] = []
        for s in EDITABLE:
            pair.append(
                (t("staff.join.edit", field=t(f"staff.field.{s}")), JoinCB(field="edit", value=s))
            )
            if len(pair) == 2:
                edit_rows.append(pair)
                pair = []
        edit_rows.append(pair)
        rows = [[(t("staff.join.submit"), JoinCB(field="submit"))], *edit_rows]
        await bot.send_message(chat_id, text, reply_markup=with_nav(t, rows))
        return
    await bot.send_message(chat_id, text, reply_markup=with_nav(t, rows, back=back))


async def advance(
    bot: Bot, chat_id: int, ctx: AppContext, state: FSMContext, t: Texts, step: str
) -> None:
    """After ``step`` is answered: the next step, or the summary while editing."""
    data = await state.get_data()
    if step == "corp":
        offices = await accounts.list_offices(ctx, int(data["corp_id"]))
        if len(offices) == 1:
            await _set_office(ctx, state, offices[0].id, auto=True)
            step = "office"
        else:
            await ask(bot, chat_id, ctx, state, t, "office")
            return
    if data.get("editing") and step != "corp":
        await ask(bot, chat_id, ctx, state, t, "summary")
        return
    if data.get("editing"):  # corp edited and office picked automatically
        await ask(bot, chat_id, ctx, state, t, "summary")
        return
    await ask(bot, chat_id, ctx, state, t, STEPS[STEPS.index(step) + 1])


async def _set_office(ctx: AppContext, state: FSMContext, agency_id: int, *, auto: bool) -> None:
    agency = await accounts.get_agency(ctx, agency_id)
    await state.update_data(
        agency_id=agency.id,
        agency_name=agency.display,
        project_name=accounts.project_name(ctx.today().year, agency),
        office_auto=auto,
    )


# --- entry -------------------------------------------------------------------------------


@router.message(Command("join"))
async def join_command(
    message: Message, bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    if actor.is_staff or actor.is_center:
        await message.answer(t("staff.join.already_staff"))
        return
    status = await accounts.request_state(ctx, actor.telegram_id)
    if status == "pending":
        await message.answer(t("staff.join.pending"))
        return
    await state.clear()
    await message.answer(t("staff.join.intro", managing_body=accounts.MANAGING_BODY))
    await ask(bot, actor.telegram_id, ctx, state, t, "name")


# --- navigation --------------------------------------------------------------------------


@router.callback_query(StateFilter(Join), NavCB.filter(F.action == "back"))
async def back(
    query: CallbackQuery, bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    current = await state.get_state()
    steps = {_state(s).state: s for s in STEPS}
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
    data = await state.get_data()
    step = steps[current]
    if data.get("editing"):
        await ask(bot, actor.telegram_id, ctx, state, t, "summary")
        return
    index = max(STEPS.index(step) - 1, 0)
    if STEPS[index] == "office" and data.get("office_auto"):
        index -= 1
    await ask(bot, actor.telegram_id, ctx, state, t, STEPS[index])


# --- text steps --------------------------------------------------------------------------


@router.message(Join.name, F.text, NOT_COMMAND)
@router.message(Join.email, F.text, NOT_COMMAND)
@router.message(Join.mobile, F.text, NOT_COMMAND)
@router.message(Join.phone, F.text, NOT_COMMAND)
@router.message(Join.fax, F.text, NOT_COMMAND)
async def text_step(
    message: Message, bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    current = await state.get_state()
    step = next(s for s in TEXT_STEPS if _state(s).state == current)
    try:
        value = TEXT_STEPS[step](message.text or "")
    except DomainError as error:
        await message.answer(refusal_text(t, error))
        await ask(bot, actor.telegram_id, ctx, state, t, step)
        return
    await state.update_data({step: value})
    await advance(bot, actor.telegram_id, ctx, state, t, step)


@router.message(Join.corp, F.text, NOT_COMMAND)
async def corp_search(
    message: Message, bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await state.update_data(corp_query=(message.text or "").strip()[:50], corp_page=0)
    await ask(bot, actor.telegram_id, ctx, state, t, "corp")


# --- button steps ------------------------------------------------------------------------


async def _done_with_message(query: CallbackQuery) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)


@router.callback_query(Join.corp, JoinCB.filter(F.field.in_({"corp_page", "corp_search"})))
async def corp_page(
    query: CallbackQuery,
    callback_data: JoinCB,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    if callback_data.field == "corp_page":
        await state.update_data(corp_page=choice_id(callback_data.value or "0"))
    else:
        await state.update_data(corp_query=None, corp_page=0)
    await query.answer()
    data = await state.get_data()
    text, markup = await _corp_markup(ctx, t, data, back=True)
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)


@router.callback_query(Join.corp, JoinCB.filter(F.field == "corp"))
async def corp_chosen(
    query: CallbackQuery,
    callback_data: JoinCB,
    bot: Bot,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    agency = await accounts.get_agency(ctx, choice_id(callback_data.value))
    await _done_with_message(query)
    await state.update_data(corp_id=agency.id, corp_name=agency.corporate_name)
    await advance(bot, actor.telegram_id, ctx, state, t, "corp")


@router.callback_query(Join.office, JoinCB.filter(F.field == "office"))
async def office_chosen(
    query: CallbackQuery,
    callback_data: JoinCB,
    bot: Bot,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    data = await state.get_data()
    offices = {o.id for o in await accounts.list_offices(ctx, int(data["corp_id"]))}
    chosen = choice_id(callback_data.value)
    if chosen not in offices:
        raise DomainError("staff.bad_choice")
    await _done_with_message(query)
    await _set_office(ctx, state, chosen, auto=False)
    await advance(bot, actor.telegram_id, ctx, state, t, "office")


@router.callback_query(Join.position, JoinCB.filter(F.field == "position"))
@router.callback_query(Join.fax, JoinCB.filter(F.field == "fax"))
@router.callback_query(Join.manager, JoinCB.filter(F.field == "manager"))
@router.callback_query(Join.consent, JoinCB.filter(F.field == "consent"))
async def single_choice(
    query: CallbackQuery,
    callback_data: JoinCB,
    bot: Bot,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    field, value = callback_data.field, callback_data.value
    if field == "position":
        if value not in accounts.POSITIONS:
            raise DomainError("staff.bad_choice")
        update: dict[str, Any] = {"position": value}
    elif field == "fax":
        update = {"fax": None}
    elif field == "manager":
        update = {"is_project_manager": value == "1"}
    else:
        update = {"consent_info": value == "1"}
    await _done_with_message(query)
    await state.update_data(update)
    await advance(bot, actor.telegram_id, ctx, state, t, field)


_MULTI = {
    "duty": ("duties", accounts.DUTIES, "staff.duty"),
    "perm": ("permissions", accounts.PERMISSIONS, "staff.perm"),
}


@router.callback_query(Join.duties, JoinCB.filter(F.field == "duty"))
@router.callback_query(Join.permissions, JoinCB.filter(F.field == "perm"))
async def toggle(query: CallbackQuery, callback_data: JoinCB, state: FSMContext, t: Texts) -> None:
    key, options, label = _MULTI[callback_data.field]
    if callback_data.value not in options:
        raise DomainError("staff.bad_choice")
    data = await state.get_data()
    chosen = list(data.get(key) or [])
    if callback_data.value in chosen:
        chosen.remove(callback_data.value)
    else:
        chosen.append(callback_data.value)
    await state.update_data({key: [o for o in options if o in chosen]})
    await query.answer()
    if isinstance(query.message, Message):
        rows = _toggles(t, callback_data.field, chosen, options, label)
        await query.message.edit_reply_markup(reply_markup=with_nav(t, rows, back=True))


@router.callback_query(Join.duties, JoinCB.filter(F.field == "duty_done"))
@router.callback_query(Join.permissions, JoinCB.filter(F.field == "perm_done"))
async def toggles_done(
    query: CallbackQuery,
    callback_data: JoinCB,
    bot: Bot,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    key = _MULTI[callback_data.field.removesuffix("_done")][0]
    data = await state.get_data()
    if not data.get(key):
        await query.answer(t("error.staff.choose_one"), show_alert=True)
        return
    await _done_with_message(query)
    await advance(bot, actor.telegram_id, ctx, state, t, key)


# --- pledge file -------------------------------------------------------------------------


@router.message(Join.pledge, F.document | F.photo)
async def pledge_file(
    message: Message, bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    if message.document is not None:
        doc = message.document
        file_id, name = doc.file_id, doc.file_name or "pledge"
        mime, size = doc.mime_type or "application/octet-stream", doc.file_size or 0
    else:
        assert message.photo
        photo = message.photo[-1]
        file_id, name, mime, size = photo.file_id, "pledge.jpg", "image/jpeg", photo.file_size or 0
    try:
        accounts.check_upload(name, size)
    except DomainError as error:
        await message.answer(refusal_text(t, error))
        await ask(bot, actor.telegram_id, ctx, state, t, "pledge")
        return
    buffer = await bot.download(file_id)
    content = buffer.read() if buffer is not None else b""
    try:
        stored = await accounts.save_upload(
            ctx,
            actor,
            kind="pledge",
            file_name=name,
            mime_type=mime,
            content=content,
            telegram_file_id=file_id,
        )
    except DomainError as error:
        await message.answer(refusal_text(t, error))
        await ask(bot, actor.telegram_id, ctx, state, t, "pledge")
        return
    await state.update_data(pledge_file_id=stored, pledge_name=name)
    await message.answer(t("staff.join.pledge_saved", file=name))
    await advance(bot, actor.telegram_id, ctx, state, t, "pledge")


# --- summary -----------------------------------------------------------------------------


@router.callback_query(Join.summary, JoinCB.filter(F.field == "edit"))
async def edit_field(
    query: CallbackQuery,
    callback_data: JoinCB,
    bot: Bot,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    if callback_data.value not in EDITABLE:
        raise DomainError("staff.bad_choice")
    await _done_with_message(query)
    await state.update_data(editing=True)
    if callback_data.value == "corp":
        await state.update_data(corp_query=None, corp_page=0)
    await ask(bot, actor.telegram_id, ctx, state, t, callback_data.value)


@router.callback_query(Join.summary, JoinCB.filter(F.field == "submit"))
async def submit(
    query: CallbackQuery, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    data = await state.get_data()
    request_id = await accounts.submit_request(ctx, actor, data)
    await state.clear()
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(t("staff.join.submitted", id=request_id))


# --- anything else -----------------------------------------------------------------------


@router.message(
    StateFilter(*[s for s in Join.__all_states__ if s is not Join.pledge]), NOT_COMMAND
)
async def use_buttons(
    message: Message, bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    current = await state.get_state()
    step = next(s for s in STEPS if _state(s).state == current)
    key = "staff.join.type_text" if step in TEXT_STEPS else "staff.join.use_buttons"
    await message.answer(t(key))
    await ask(bot, actor.telegram_id, ctx, state, t, step)


@router.message(Join.pledge, NOT_COMMAND)
async def pledge_expected(
    message: Message, bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await message.answer(t("staff.join.pledge_expected"))
    await ask(bot, actor.telegram_id, ctx, state, t, "pledge")
