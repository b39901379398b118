"""/export: the agency's data as xlsx or csv (staff: their agency; center: all or one agency).

| state    | input                                   | next                                 |
|----------|-----------------------------------------|--------------------------------------|
| (none)   | /export — center                        | scope                                |
|          | /export — staff                         | format                               |
|          | /export rrn — staff                     | refused (audited): center only       |
| scope    | 전체 기관 / an agency / ◀ ▶ pages        | format                               |
| format   | xlsx → (center: masking) or the file    | masking / done                       |
|          | csv                                     | dataset                              |
| dataset  | one of the seven tables                 | masking (center) / done              |
| masking  | masked → the file; unmasked             | done / reason                        |
| reason   | text, at least 5 characters             | done (the export is audited)         |
◀ 이전 goes one step back, ✖ 취소 and /cancel leave. Free text where a button is expected
re-asks with the buttons; a button of a finished or abandoned export is stale.
"""

from __future__ import annotations

import math
from typing import Any

from aiogram import F
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.domain.errors import DomainError
from bot.i18n import Texts
from bot.keyboards.common import Button, NavCB, with_nav
from bot.keyboards.reports import ExportCB
from bot.middlewares.access import staff_or_center_router
from bot.middlewares.refusals import refusal_text
from bot.services import exports
from bot.services.context import AppContext
from bot.services.identity import Actor

router = staff_or_center_router("export")
PAGE = 8
UNMASKED_ARGS = frozenset({"rrn", "full", "unmasked", "주민번호", "전체번호"})


class ExportFlow(StatesGroup):
    scope = State()
    format = State()
    dataset = State()
    masking = State()
    reason = State()


# --- screens -------------------------------------------------------------------------------


async def _scope_label(ctx: AppContext, t: Texts, agency_id: int | None) -> str:
    if agency_id is None:
        return t("export.all_agencies")
    return await exports.agency_name(ctx, agency_id)


async def _screen(
    state: FSMContext, ctx: AppContext, t: Texts, actor: Actor
) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of the current step (also used to re-ask after stray input)."""
    current = await state.get_state()
    data = await state.get_data()
    if current == ExportFlow.scope.state:
        agencies = await exports.active_agencies(ctx)
        pages = max(1, math.ceil(len(agencies) / PAGE))
        page = min(int(data.get("page", 0)), pages - 1)
        rows: list[list[Button]] = [[(t("export.all_agencies"), ExportCB(act="scope", val="all"))]]
        rows += [
            [(label, ExportCB(act="scope", val=str(aid)))]
            for aid, label in agencies[page * PAGE : (page + 1) * PAGE]
        ]
        if pages > 1:
            turn: list[Button] = []
            if page > 0:
                turn.append((t("export.page_prev"), ExportCB(act="page", val=str(page - 1))))
            turn.append(
                (t("export.page", page=page + 1, pages=pages), ExportCB(act="page", val=str(page)))
            )
            if page < pages - 1:
                turn.append((t("export.page_next"), ExportCB(act="page", val=str(page + 1))))
            rows.append(turn)
        return t("export.choose_scope"), with_nav(t, rows)
    if current == ExportFlow.format.state:
        scope = await _scope_label(ctx, t, data.get("agency"))
        rows = [
            [(t("export.format_xlsx"), ExportCB(act="fmt", val="xlsx"))],
            [(t("export.format_csv"), ExportCB(act="fmt", val="csv"))],
        ]
        return t("export.choose_format", scope=scope), with_nav(t, rows, back=actor.is_center)
    if current == ExportFlow.dataset.state:
        rows = [
            [(t(f"export.dataset.{name}"), ExportCB(act="ds", val=name))]
            for name in exports.DATASETS
        ]
        return t("export.choose_dataset"), with_nav(t, rows, back=True)
    if current == ExportFlow.masking.state:
        rows = [
            [(t("export.masked"), ExportCB(act="mask", val="masked"))],
            [(t("export.unmasked"), ExportCB(act="mask", val="unmasked"))],
        ]
        return t("export.choose_masking"), with_nav(t, rows, back=True)
    return t("export.ask_reason"), with_nav(t, [], back=True)


async def _show(
    target: Message, state: FSMContext, ctx: AppContext, t: Texts, actor: Actor, *, edit: bool
) -> None:
    text, markup = await _screen(state, ctx, t, actor)
    if edit:
        await target.edit_text(text, reply_markup=markup)
    else:
        await target.answer(text, reply_markup=markup)


# --- entry ---------------------------------------------------------------------------------


@router.message(Command("export"))
async def start_export(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    actor: Actor,
    ctx: AppContext,
    t: Texts,
) -> None:
    await state.clear()
    if (command.args or "").strip().lower() in UNMASKED_ARGS:
        await exports.check_unmasked_allowed(ctx, actor)  # staff: refused and audited
    if actor.is_center:
        await state.set_state(ExportFlow.scope)
        await state.set_data({"page": 0})
    else:
        await state.set_state(ExportFlow.format)
        await state.set_data({"agency": actor.agency_id})
    await _show(message, state, ctx, t, actor, edit=False)


# --- steps ---------------------------------------------------------------------------------


def _message(query: CallbackQuery) -> Message | None:
    return query.message if isinstance(query.message, Message) else None


@router.callback_query(ExportFlow.scope, ExportCB.filter(F.act == "page"))
async def turn_page(
    query: CallbackQuery, callback_data: ExportCB, state: FSMContext, actor: Actor,
    ctx: AppContext, t: Texts,
) -> None:  # fmt: skip
    await query.answer()
    await state.update_data(page=int(callback_data.val or 0))
    if (message := _message(query)) is not None:
        await _show(message, state, ctx, t, actor, edit=True)


@router.callback_query(ExportFlow.scope, ExportCB.filter(F.act == "scope"))
async def pick_scope(
    query: CallbackQuery, callback_data: ExportCB, state: FSMContext, actor: Actor,
    ctx: AppContext, t: Texts,
) -> None:  # fmt: skip
    await query.answer()
    agency = None if callback_data.val == "all" else int(callback_data.val)
    await state.update_data(agency=agency)
    await state.set_state(ExportFlow.format)
    if (message := _message(query)) is not None:
        await _show(message, state, ctx, t, actor, edit=True)


@router.callback_query(ExportFlow.format, ExportCB.filter(F.act == "fmt"))
async def pick_format(
    query: CallbackQuery, callback_data: ExportCB, state: FSMContext, actor: Actor,
    ctx: AppContext, t: Texts,
) -> None:  # fmt: skip
    await query.answer()
    fmt = callback_data.val
    await state.update_data(fmt=fmt, dataset=None)
    message = _message(query)
    if fmt == "csv":
        await state.set_state(ExportFlow.dataset)
    elif actor.is_center:
        await state.set_state(ExportFlow.masking)
    elif message is not None:
        await _deliver(message, state, ctx, t, actor)
        return
    if message is not None:
        await _show(message, state, ctx, t, actor, edit=True)


@router.callback_query(ExportFlow.dataset, ExportCB.filter(F.act == "ds"))
async def pick_dataset(
    query: CallbackQuery, callback_data: ExportCB, state: FSMContext, actor: Actor,
    ctx: AppContext, t: Texts,
) -> None:  # fmt: skip
    await query.answer()
    await state.update_data(dataset=callback_data.val)
    message = _message(query)
    if actor.is_center:
        await state.set_state(ExportFlow.masking)
        if message is not None:
            await _show(message, state, ctx, t, actor, edit=True)
    elif message is not None:
        await _deliver(message, state, ctx, t, actor)


@router.callback_query(ExportFlow.masking, ExportCB.filter(F.act == "mask"))
async def pick_masking(
    query: CallbackQuery, callback_data: ExportCB, state: FSMContext, actor: Actor,
    ctx: AppContext, t: Texts,
) -> None:  # fmt: skip
    await query.answer()
    message = _message(query)
    if message is None:
        return
    if callback_data.val == "unmasked":
        await exports.check_unmasked_allowed(ctx, actor)
        await state.set_state(ExportFlow.reason)
        await _show(message, state, ctx, t, actor, edit=True)
        return
    await _deliver(message, state, ctx, t, actor)


@router.message(ExportFlow.reason, F.text)
async def give_reason(
    message: Message, state: FSMContext, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    reason = (message.text or "").strip()
    if len(reason) < exports.REASON_MIN:
        await message.answer(
            t("error.export.reason_needed", min=exports.REASON_MIN),
            reply_markup=with_nav(t, [], back=True),
        )
        return
    await _deliver(message, state, ctx, t, actor, reason=reason, edit=False)


_BACK = {
    ExportFlow.format.state: ExportFlow.scope,
    ExportFlow.dataset.state: ExportFlow.format,
    ExportFlow.reason.state: ExportFlow.masking,
}


@router.callback_query(
    StateFilter(ExportFlow.format, ExportFlow.dataset, ExportFlow.masking, ExportFlow.reason),
    NavCB.filter(F.action == "back"),
)
async def go_back(
    query: CallbackQuery, state: FSMContext, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    await query.answer()
    current = await state.get_state()
    data = await state.get_data()
    if current == ExportFlow.masking.state:
        previous = ExportFlow.dataset if data.get("fmt") == "csv" else ExportFlow.format
    else:
        previous = _BACK[str(current)]
    if previous == ExportFlow.scope and not actor.is_center:
        previous = ExportFlow.format
    await state.set_state(previous)
    if (message := _message(query)) is not None:
        await _show(message, state, ctx, t, actor, edit=True)


@router.message(
    StateFilter(ExportFlow.scope, ExportFlow.format, ExportFlow.dataset, ExportFlow.masking)
)
async def use_the_buttons(
    message: Message, state: FSMContext, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    """Free text (or a file) where a button is expected: ask again, with the buttons."""
    await message.answer(t("export.use_buttons"))
    await _show(message, state, ctx, t, actor, edit=False)


@router.message(ExportFlow.reason)
async def reason_not_text(
    message: Message, state: FSMContext, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    await _show(message, state, ctx, t, actor, edit=False)


# --- the file ------------------------------------------------------------------------------


async def _deliver(
    message: Message,
    state: FSMContext,
    ctx: AppContext,
    t: Texts,
    actor: Actor,
    *,
    reason: str | None = None,
    edit: bool = True,
) -> None:
    data: dict[str, Any] = await state.get_data()
    if edit:
        await message.edit_text(t("export.preparing"))
    try:
        file = await exports.export_data(
            ctx,
            actor,
            t,
            agency_id=data.get("agency"),
            fmt=data.get("fmt", "xlsx"),
            dataset=data.get("dataset"),
            unmasked=reason is not None,
            reason=reason,
        )
    except DomainError as error:
        await state.clear()
        await message.answer(refusal_text(t, error))
        return
    await state.clear()
    dataset = data.get("dataset")
    what = t(f"export.dataset.{dataset}") if dataset else t("export.all_sheets")
    await message.answer_document(
        BufferedInputFile(file.content, filename=file.file_name),
        caption=t(
            "export.file_caption", scope=file.scope, what=what, date=ctx.today().isoformat()
        ),
    )
    await message.answer(t("export.done", scope=file.scope, rows=file.rows))
    if reason is not None:
        await message.answer(t("export.done_unmasked", reason=reason))
