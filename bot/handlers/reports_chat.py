"""/reports: the four reports in chat, and their sign-off (제출 준비 완료).

| who    | input                          | answer                                               |
|--------|--------------------------------|------------------------------------------------------|
| staff  | /reports                       | the kinds for their agency                           |
| center | /reports                       | 전체 운영기관 + the agencies (paged)             |
| center | /reports <agency id>           | the kinds for that agency                            |
| both   | a kind                         | the chart (photo), xlsx, PDF, then the key figures,   |
|        |                                | the differences since the last sign-off and ✅       |
| both   | ✅ 제출 준비 완료               | snapshot kept (who, when, what); the button goes     |

Buttons carry the scope; the service checks it again (staff: their agency only, audited).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram import F
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.conversations.export import AGENCY_PAGE
from bot.handlers.program_screens import pager, paginate
from bot.i18n import Texts, Translator
from bot.keyboards.common import Button, inline
from bot.keyboards.reports import ReportCB
from bot.middlewares.access import staff_or_center_router
from bot.services import exports
from bot.services.context import AppContext
from bot.services.identity import Actor

if TYPE_CHECKING:  # the report services (charts, xlsx, PDF) load on first use, not at start
    from bot.services.report_files import ReportDoc

router = staff_or_center_router("reports")
KIND_BUTTONS = (
    ("btn_training", "training", "week"),
    ("btn_program", "program", "week"),
    ("btn_week", "performance", "week"),
    ("btn_month", "performance", "month"),
    ("btn_result", "result", "week"),
)


def official() -> Texts:
    """Reports are Korean documents whatever the reader's language (as certificates are)."""
    return Translator().bind("ko")


def kinds_markup(t: Texts, agency: int) -> InlineKeyboardMarkup:
    return inline(
        [
            [(t(f"reports.{label}"), ReportCB(act="show", kind=kind, agency=agency, span=span))]
            for label, kind, span in KIND_BUTTONS
        ]
    )


async def scope_screen(ctx: AppContext, t: Texts, page: int) -> tuple[str, InlineKeyboardMarkup]:
    """전체 운영기관 and a page of the agencies (as many a page as /export's scope step)."""
    agencies, page, pages = paginate(await exports.active_agencies(ctx), page, AGENCY_PAGE)
    rows: list[list[Button]] = [[(t("reports.btn_all"), ReportCB(act="menu", agency=0))]]
    rows += [[(label, ReportCB(act="menu", agency=aid))] for aid, label in agencies]
    if pages > 1:
        turn = pager(
            t,
            lambda p: ReportCB(act="page", page=p),
            page,
            pages,
            prev_key="reports.btn_prev",
            next_key="reports.btn_next",
        )
        rows.append(turn)
    return t("reports.choose_scope"), inline(rows)


async def scope_name(ctx: AppContext, t: Texts, agency: int) -> str:
    return await exports.agency_name(ctx, agency) if agency else t("rpt.all_agencies")


@router.message(Command("reports"))
async def reports_command(
    message: Message, command: CommandObject, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    from bot.services import report_service

    arg = (command.args or "").strip()
    if actor.is_staff or (arg.isdigit() and int(arg) > 0):
        agency = (actor.agency_id or 0) if actor.is_staff else int(arg)
        await report_service.check_scope(ctx, actor, agency or None)
        name = await scope_name(ctx, t, agency)
        await message.answer(
            t("reports.choose_kind", scope=name), reply_markup=kinds_markup(t, agency)
        )
        return
    text, markup = await scope_screen(ctx, t, 0)
    await message.answer(text, reply_markup=markup)


@router.callback_query(ReportCB.filter(F.act.in_({"page", "menu"})))
async def pick_scope(
    query: CallbackQuery, callback_data: ReportCB, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    from bot.services import report_service

    await query.answer()
    if not isinstance(query.message, Message):
        return
    if callback_data.act == "page":
        text, markup = await scope_screen(ctx, t, callback_data.page)
        await query.message.edit_text(text, reply_markup=markup)
        return
    agency = callback_data.agency
    await report_service.check_scope(ctx, actor, agency or None)
    name = await scope_name(ctx, t, agency)
    await query.message.answer(
        t("reports.choose_kind", scope=name), reply_markup=kinds_markup(t, agency)
    )


def summary_text(t: Texts, doc: ReportDoc) -> str:
    return t(
        "reports.summary",
        title=doc.title,
        subtitle=doc.subtitle,
        figures="\n".join(f"• {line}" for line in doc.figure_lines()),
        notes="\n".join(doc.notes),
    )


@router.callback_query(ReportCB.filter(F.act == "show"))
async def show_report(
    query: CallbackQuery, callback_data: ReportCB, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    from bot.services import report_service
    from bot.services.report_files import KINDS

    kind, span = callback_data.kind, callback_data.span
    agency = callback_data.agency or None
    if kind not in KINDS or span not in report_service.PERIODS:
        await query.answer(t("error.report.stale"), show_alert=True)
        return
    await query.answer(t("reports.making", kind=t(f"rpt.kind.{kind}"))[:200])
    bundle = await report_service.make_report(ctx, actor, official(), kind, agency, span)
    doc = bundle.doc
    chat = query.from_user.id
    bot = query.bot
    if bot is None:
        return
    caption = t("reports.chart_caption", title=doc.title)
    await bot.send_photo(chat, BufferedInputFile(bundle.chart_png, "chart.png"), caption=caption)
    for file in bundle.files:
        await bot.send_document(chat, BufferedInputFile(file.content, file.file_name))
    button = ReportCB(act="ok", kind=kind, agency=callback_data.agency, span=span)
    await bot.send_message(
        chat,
        summary_text(t, doc),
        reply_markup=inline([[(t("reports.btn_confirm"), button)]]),
    )


@router.callback_query(ReportCB.filter(F.act == "ok"))
async def confirm_report(
    query: CallbackQuery, callback_data: ReportCB, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    from bot.services import report_service
    from bot.services.report_files import KINDS

    kind, span = callback_data.kind, callback_data.span
    if kind not in KINDS or span not in report_service.PERIODS:
        await query.answer(t("error.report.stale"), show_alert=True)
        return
    agency = callback_data.agency or None
    signed = await report_service.confirm(ctx, actor, official(), kind, agency, span)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(
            t(
                "reports.confirmed",
                name=signed.name,
                at=t.date(signed.at),
                kind=t(f"rpt.kind.{kind}"),
                scope=await scope_name(ctx, t, callback_data.agency),
            )
        )
