"""Certificates (수료증): /certificate for participants, /certificates for the support center,
/verify for everyone.

Only center operators approve or reject: their handlers live on a ``center_router`` (role + second
factor), and the service checks the role again, so a crafted callback from anyone else is refused
and audited twice over.

The center: /certificates → a request's card → 승인, or 반려 → the reason
(``bot/conversations/cert_reject.py``, a form-engine flow) → the list again.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.conversations import cert_reject
from bot.conversations.cert_reject import RejectData
from bot.domain.certificates import make_issue_number
from bot.domain.errors import DomainError
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.forms.spec import Turn
from bot.handlers.program_screens import leave, local, pager, paginate, show, stale
from bot.i18n import Raw, Texts
from bot.keyboards.common import Button, inline
from bot.keyboards.selection import CertCB, CertCenterCB, SurveyStartCB
from bot.middlewares.access import center_router
from bot.middlewares.refusals import refusal_text
from bot.services import certificates
from bot.services.context import AppContext
from bot.services.identity import Actor

router = Router(name="certificates")  # participants and anyone (/verify)
center = center_router("certificates_center")

PAGE_SIZE = 10
EXAMPLE_NUMBER = make_issue_number(2026, 123)  # the example passes its own check character


# --- participant ------------------------------------------------------------------------------


@router.message(Command("certificate"))
async def cmd_certificate(message: Message, actor: Actor, ctx: AppContext, t: Texts) -> None:
    items = await certificates.mine(ctx, actor)
    if not items:
        await message.answer(t("cert.none"))
        return
    lines = [t("cert.mine_title")]
    buttons: list[list[Button]] = []
    for item in items:
        aid = item.application_id
        if not item.survey_done:
            lines.append(t("cert.item_survey_first", program=item.program_name))
            buttons.append(
                [(t("cert.survey_button", program=item.program_name), SurveyStartCB(aid=aid))]
            )
        elif item.status == "approved":
            lines.append(
                t(
                    "cert.item_issued",
                    program=item.program_name,
                    number=item.issue_number,
                    date=t.date(item.issued_on),
                )
            )
            buttons.append(
                [
                    (
                        t("cert.download_button", program=item.program_name),
                        CertCB(act="download", aid=aid),
                    )
                ]
            )
        elif item.status == "requested":
            lines.append(t("cert.item_requested", program=item.program_name))
        else:
            if item.status == "rejected":
                lines.append(
                    t(
                        "cert.item_rejected",
                        program=item.program_name,
                        reason=item.reject_reason or "-",
                    )
                )
            else:
                lines.append(t("cert.item_can_request", program=item.program_name))
            buttons.append(
                [
                    (
                        t("cert.request_button", program=item.program_name),
                        CertCB(act="request", aid=aid),
                    )
                ]
            )
    await message.answer("\n\n".join(lines), reply_markup=inline(buttons) if buttons else None)


@router.callback_query(CertCB.filter(F.act == "request"))
async def request(
    query: CallbackQuery, callback_data: CertCB, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    await certificates.request(ctx, actor, callback_data.aid)
    if (message := await leave(query)) is not None:
        await message.answer(t("cert.requested"))


@router.callback_query(CertCB.filter(F.act == "download"))
async def download(
    query: CallbackQuery, callback_data: CertCB, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    name, content = await certificates.download(ctx, actor, callback_data.aid)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer_document(
            BufferedInputFile(content, filename=name), caption=t("cert.download_caption")
        )


# --- anyone -----------------------------------------------------------------------------------


@router.message(Command("verify"))
async def cmd_verify(message: Message, command: CommandObject, ctx: AppContext, t: Texts) -> None:
    await send_verification(message, ctx, t, command.args or "")


async def send_verification(message: Message, ctx: AppContext, t: Texts, number: str) -> None:
    """/verify <번호> and the certificate's link (``/start verify_<번호>``), for anyone."""
    number = number.strip()
    if not number:
        await message.answer(t("verify.usage", example=EXAMPLE_NUMBER))
        return
    result = await certificates.verify(ctx, number)
    if not result.wellformed:
        await message.answer(t("verify.malformed", number=number[:40], example=EXAMPLE_NUMBER))
    elif not result.valid:
        await message.answer(t("verify.unknown", number=result.number))
    else:
        period = ""
        if result.period_start and result.period_end:
            period = t(
                "verify.period",
                start=t.date(result.period_start),
                end=t.date(result.period_end),
            )
        await message.answer(
            t(
                "verify.valid",
                number=result.number,
                name=result.masked_name or "-",
                program=result.program or "-",
                agency=result.agency or "-",
                period=Raw(period),
                date=t.date(result.issued_on),
            )
        )


# --- center -----------------------------------------------------------------------------------


@center.message(Command("certificates"))
async def cmd_certificates(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await state.clear()
    await _list(message, actor, ctx, t, 0)


async def _list(
    event: Message | CallbackQuery,
    actor: Actor,
    ctx: AppContext,
    t: Texts,
    page: int,
    note: str | None = None,
) -> None:
    cards = await certificates.pending(ctx, actor)
    chunk, page, pages = paginate(cards, page, PAGE_SIZE)
    lines = [t("cert.center_title", count=len(cards))]
    if not cards:
        lines.append(t("cert.center_empty"))
    buttons: list[list[Button]] = []
    for index, card in enumerate(chunk, start=page * PAGE_SIZE + 1):
        lines.append(
            t(
                "cert.center_line",
                n=index,
                name=card.name,
                program=card.program,
                date=t.date(local(ctx, card.requested_at)),
            )
        )
        buttons.append(
            [(f"{index}. {card.name}", CertCenterCB(act="open", cid=card.certificate_id))]
        )
    if pages > 1:
        buttons.append(pager(t, lambda p: CertCenterCB(act="list", cid=p), page, pages))
    if note:
        lines += ["", note]
    await show(event, "\n".join(lines), inline(buttons) if buttons else None)


async def _card(
    event: Message | CallbackQuery,
    actor: Actor,
    ctx: AppContext,
    t: Texts,
    cid: int,
    note: str | None = None,
) -> None:
    card = await certificates.card(ctx, actor, cid)
    survey_by = t("cert.survey_by_staff") if card.survey_by_staff else t("cert.survey_by_self")
    lines = [
        t(
            "cert.center_card",
            name=card.name,
            birth=t.date(card.birth_date),
            program=card.program,
            agency=card.agency,
            start=t.date(card.period_start),
            end=t.date(card.period_end),
            completed=t.date(local(ctx, card.completed_at)),
            survey=t.date(local(ctx, card.survey_submitted_at)),
            survey_by=survey_by,
            requested=t.date(local(ctx, card.requested_at)),
            status=t(f"cert.status.{card.status}"),
        )
    ]
    if note:
        lines += ["", note]
    buttons: list[list[Button]] = []
    if card.status == "requested":
        buttons.append(
            [
                (t("cert.approve_button"), CertCenterCB(act="approve", cid=cid)),
                (t("cert.reject_button"), CertCenterCB(act="reject", cid=cid)),
            ]
        )
    buttons.append([(t("cert.back_to_list"), CertCenterCB(act="list", cid=0))])
    await show(event, "\n".join(lines), inline(buttons))


@center.callback_query(CertCenterCB.filter())
async def center_button(
    query: CallbackQuery,
    callback_data: CertCenterCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
    bot: Bot,
) -> None:
    act, cid = callback_data.act, callback_data.cid
    if act == "list":
        await state.clear()
        await _list(query, actor, ctx, t, cid)
    elif act == "open":
        await _card(query, actor, ctx, t, cid)
    elif act == "approve":
        try:
            me = await bot.me()  # its link goes on the PDF (t.me/<bot>?start=verify_<번호>)
            number = await certificates.approve(ctx, actor, cid, bot_username=me.username)
        except DomainError as error:
            await _card(query, actor, ctx, t, cid, note=refusal_text(t, error))
            return
        await _list(query, actor, ctx, t, 0, note=t("cert.approved", number=number))
    elif act == "reject":
        card = await certificates.card(ctx, actor, cid)
        if card.status != "requested":
            await _card(query, actor, ctx, t, cid)
            return
        if (message := await leave(query)) is not None:
            data = RejectData(cid=cid, name=card.name)
            await forms.begin(message, state, ctx, t, actor, FlowName.CERT_REJECT, data)
    else:
        await stale(query, t)


async def _to_list(message: Message, turn: Turn[Any]) -> None:
    await _list(message, turn.actor, turn.ctx, turn.t, 0)


async def _to_card(message: Message, turn: Turn[Any]) -> None:
    await _card(message, turn.actor, turn.ctx, turn.t, turn.data.cid)


forms.EXITS[cert_reject.LIST] = _to_list  # after the reason
forms.EXITS[cert_reject.CARD] = _to_card  # its ◀ 이전
