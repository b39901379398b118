"""/programs: the public catalogue (paginated, filtered by type and region), program cards, the
start of an application, and deep links ``/start prog_<id>``."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.conversations import application, onboarding
from bot.domain.errors import DomainError
from bot.domain.ids import is_id
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.forms.spec import Turn
from bot.handlers import onboarding as consent_steps
from bot.i18n import Texts
from bot.keyboards.common import Button, home_row, inline, with_home
from bot.keyboards.participant import CatalogueCB, ProgramCB
from bot.middlewares.refusals import refusal_text
from bot.services import applying, catalogue
from bot.services.catalogue import Page, ProgramCard
from bot.services.context import AppContext
from bot.services.identity import Actor, Role

router = Router(name="catalogue")

MESSAGE_LIMIT = 4000  # Telegram allows 4096; leave room for the markup's sake
BUTTON_NAME = 40


def ptype_label(t: Texts, value: str) -> str:
    return t(f"ptype.{value}") if value else t("catalogue.all")


def short(text: str, limit: int = BUTTON_NAME) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_page(t: Texts, page: Page, ptype: str, region: str) -> tuple[str, InlineKeyboardMarkup]:
    lines = [
        t(
            "catalogue.title",
            total=page.total,
            page=page.page + 1,
            pages=page.pages,
            ptype=ptype_label(t, ptype),
            region=region or t("catalogue.all"),
        )
    ]
    if not page.items:
        lines.append(t("catalogue.empty"))
    rows: list[list[Button]] = []
    for number, item in enumerate(page.items, page.page * catalogue.PAGE_SIZE + 1):
        lines.append(
            t(
                "catalogue.item",
                n=number,
                ptype=ptype_label(t, item.type),
                name=item.name,
                agency=item.agency,
                region=item.region or "-",
            )
        )
        rows.append([(f"{number}. {short(item.name)}", ProgramCB(action="view", pid=item.id))])
    rows.append(
        [
            (
                t("catalogue.filter_type", value=ptype_label(t, ptype)),
                CatalogueCB(action="types", ptype=ptype, region=region),
            ),
            (
                t("catalogue.filter_region", value=region or t("catalogue.all")),
                CatalogueCB(action="regions", ptype=ptype, region=region),
            ),
        ]
    )
    pager: list[Button] = []
    if page.page > 0:
        pager.append(
            (
                t("catalogue.prev"),
                CatalogueCB(action="list", page=page.page - 1, ptype=ptype, region=region),
            )
        )
    if page.page + 1 < page.pages:
        pager.append(
            (
                t("catalogue.next"),
                CatalogueCB(action="list", page=page.page + 1, ptype=ptype, region=region),
            )
        )
    rows.append(pager)
    return "\n".join(lines), inline(rows)


def render_card(t: Texts, card: ProgramCard) -> list[str]:
    """The card as text blocks (each ≤ one message); optional fields appear only when filled."""
    blocks = [
        t(
            "card.title",
            name=card.name,
            ptype=ptype_label(t, card.type),
            year=card.year,
            region=card.region or "-",
        ),
        t("card.agency", value=card.agency),
    ]

    def add(key: str, value: object, **params: object) -> None:
        if value not in (None, ""):
            blocks.append(t(key, value=value, **params))

    if card.companies:
        blocks.append(t("card.companies"))
        blocks += [
            t("card.company", name=c.name, address=c.work_address or "-") for c in card.companies
        ]
    add("card.address", card.work_address)
    if card.period_start and card.period_end:
        blocks.append(
            t("card.period", start=t.date(card.period_start), end=t.date(card.period_end))
        )
    add("card.schedule", card.schedule)
    add("card.hours", card.weekly_hours)
    add("card.allowance", card.allowance)
    add("card.recruitment", card.total_recruitment)
    add("card.job_description", card.job_description)
    if card.jobs:
        blocks.append(t("card.jobs"))
        blocks += [
            t("card.job_full" if j.full else "card.job", name=j.name, headcount=j.headcount)
            for j in card.jobs
        ]
    add("card.proposal", card.proposal_text)
    add("card.mentoring", card.mentoring)
    add("card.benefit", card.completion_benefit)
    add("card.criteria", card.selection_criteria)
    blocks.append(t("card.resume_required" if card.resume_required else "card.resume_optional"))
    if card.training_required:
        blocks.append(
            t(
                "card.training",
                institution=card.training_institution or "-",
                start=t.date(card.training_start),
            )
        )
        add("card.training_content", card.training_content)
        add("card.training_phone", card.training_phone)
        add("card.training_email", card.training_email)
        add("card.training_homepage", card.training_homepage)
    elif card.training_required is False:
        blocks.append(t("card.no_training"))
    blocks.append(t("card.contact_title"))
    add("card.contact_phone", card.contact_phone)
    add("card.contact_email", card.contact_email)
    add("card.contact_fax", card.contact_fax)
    add("card.contact_homepage", card.contact_homepage)
    if card.closed_reason:
        blocks.append(t(f"card.{card.closed_reason.removeprefix('apply.')}"))
    else:
        blocks.append(t("card.open"))
    return chunks(blocks)


def chunks(blocks: list[str]) -> list[str]:
    messages: list[str] = []
    current = ""
    for block in blocks:
        if len(block) > MESSAGE_LIMIT:  # one very long field: cut (only plain text is cut)
            block = block[: MESSAGE_LIMIT - 1] + "…"
        if current and len(current) + 1 + len(block) > MESSAGE_LIMIT:
            messages.append(current)
            current = block
        else:
            current = f"{current}\n{block}" if current else block
    messages.append(current)
    return messages


def render_short(t: Texts, card: ProgramCard) -> str:
    """The short card: name, agency, period, place, allowance and until when it recruits."""
    lines = [
        t(
            "card.title",
            name=card.name,
            ptype=ptype_label(t, card.type),
            year=card.year,
            region=card.region or "-",
        ),
        t("card.agency", value=card.agency),
    ]
    if card.period_start and card.period_end:
        lines.append(
            t("card.period", start=t.date(card.period_start), end=t.date(card.period_end))
        )
    place = card.work_address or (card.companies[0].work_address if card.companies else None)
    if place:
        lines.append(t("card.address", value=place))
    if card.allowance:
        lines.append(t("card.allowance", value=card.allowance))
    if card.closed_reason:
        lines.append(t(f"card.{card.closed_reason.removeprefix('apply.')}"))
    elif card.recruit_last_day:
        lines.append(t("card.open_until", until=t.date(card.recruit_last_day)))
    else:
        lines.append(t("card.open"))
    return "\n".join(lines)


def _card_rows(t: Texts, card: ProgramCard, *, details: bool) -> list[list[Button]]:
    rows: list[list[Button]] = []
    if not card.closed_reason:
        rows.append([(t("card.apply"), ProgramCB(action="apply", pid=card.id))])
    if details:
        rows.append([(t("card.details"), ProgramCB(action="details", pid=card.id))])
    rows.append([(t("catalogue.back_to_list"), CatalogueCB(action="open")), *home_row(t)])
    return rows


async def send_card(message: Message, ctx: AppContext, t: Texts, pid: int) -> None:
    """The short card with 신청하기 first; 자세히 sends the rest (:func:`send_details`)."""
    card = await catalogue.program_card(ctx, pid)
    await message.answer(
        render_short(t, card), reply_markup=inline(_card_rows(t, card, details=True))
    )


async def send_details(message: Message, ctx: AppContext, t: Texts, pid: int) -> None:
    card = await catalogue.program_card(ctx, pid)
    texts = render_card(t, card)
    for text in texts[:-1]:
        await message.answer(text)
    await message.answer(texts[-1], reply_markup=inline(_card_rows(t, card, details=False)))


async def open_program_hook(
    message: Message, payload: str, actor: Actor, t: Texts, state: FSMContext, ctx: AppContext
) -> bool:
    """``/start prog_<id>`` (also a program chosen before the consents): open its card."""
    pid = payload.removeprefix("prog_")
    valid = pid.isascii() and pid.isdigit() and is_id(int(pid))
    if not payload.startswith("prog_") or not valid or actor.role is not Role.PARTICIPANT:
        return False
    try:
        await send_card(message, ctx, t, int(pid))
    except DomainError as error:
        await message.answer(refusal_text(t, error), reply_markup=with_home(t))
    return True


if open_program_hook not in onboarding.payload_hooks:
    onboarding.payload_hooks.append(open_program_hook)


@router.message(Command("programs"))
async def programs(message: Message, ctx: AppContext, t: Texts) -> None:
    text, markup = render_page(t, await catalogue.list_programs(ctx), "", "")
    await message.answer(text, reply_markup=markup)


async def _to_programs(message: Message, turn: Turn[Any]) -> None:
    await programs(message, turn.ctx, turn.t)


forms.EXITS["programs"] = _to_programs  # the eligibility check's "다른 프로그램 보기"


@router.callback_query(CatalogueCB.filter())
async def catalogue_action(
    query: CallbackQuery,
    callback_data: CatalogueCB,
    state: FSMContext,
    ctx: AppContext,
    t: Texts,
) -> None:
    message = query.message
    await query.answer()
    if not isinstance(message, Message):
        return
    ptype, region = callback_data.ptype, callback_data.region
    if ptype not in ("", *catalogue.PROGRAM_TYPES):
        ptype = ""
    if callback_data.action == "types":
        rows: list[list[Button]] = [
            [(ptype_label(t, value), CatalogueCB(action="list", ptype=value, region=region))]
            for value in ("", *catalogue.PROGRAM_TYPES)
        ]
        await message.edit_text(t("catalogue.choose_type"), reply_markup=inline(rows))
        return
    if callback_data.action == "regions":
        rows = [[(t("catalogue.all"), CatalogueCB(action="list", ptype=ptype))]]
        for value in await catalogue.regions(ctx, ptype=ptype):
            data = CatalogueCB(action="list", ptype=ptype, region=value)
            if len(data.pack().encode()) <= 64:
                rows.append([(value, data)])
        await message.edit_text(t("catalogue.choose_region"), reply_markup=inline(rows))
        return
    page = await catalogue.list_programs(ctx, ptype=ptype, region=region, page=callback_data.page)
    text, markup = render_page(t, page, ptype, region)
    if callback_data.action == "open":  # from a card or an eligibility result: a new list
        await message.edit_reply_markup(reply_markup=None)
        await message.answer(text, reply_markup=markup)
    else:
        await message.edit_text(text, reply_markup=markup)


@router.callback_query(ProgramCB.filter(F.action.in_({"view", "details"})))
async def view_program(
    query: CallbackQuery, callback_data: ProgramCB, ctx: AppContext, t: Texts
) -> None:
    if not isinstance(query.message, Message):
        await query.answer()
        return
    show = send_details if callback_data.action == "details" else send_card
    try:
        await show(query.message, ctx, t, callback_data.pid)
    except DomainError as error:
        text = refusal_text(t, error)
        await query.answer(text[:200], show_alert=True)
        await query.message.answer(text)
        return
    await query.answer()


@router.callback_query(ProgramCB.filter(F.action == "apply"))
async def apply_to_program(
    query: CallbackQuery,
    callback_data: ProgramCB,
    state: FSMContext,
    actor: Actor,
    ctx: AppContext,
    t: Texts,
) -> None:
    message = query.message
    if not isinstance(message, Message):
        await query.answer()
        return
    pid = callback_data.pid
    if actor.role is not Role.PARTICIPANT:
        await query.answer(t("catalogue.participants_only"), show_alert=True)
        return
    form = await forms.current(state)
    if form is not None and form.flow == FlowName.APPLY and form.data.get("program_id") == pid:
        # a second tap (or an old card) while this application is open: keep the one going
        await query.answer(t("catalogue.in_progress"), show_alert=True)
        return
    try:
        applying_program = await catalogue.program_card(ctx, pid)
        await applying.check_can_apply(ctx, actor, pid)
    except DomainError as error:
        if error.code == "apply.no_consent":
            await query.answer()
            await consent_steps.begin(query, state, ctx, t, actor)  # then this press
            return
        text = refusal_text(t, error)
        await query.answer(text[:200], show_alert=True)
        await message.answer(text)
        return
    await query.answer()
    await message.edit_reply_markup(reply_markup=None)
    intro = t("elig.intro", program=applying_program.name)
    data = application.new_data(applying_program)
    await forms.begin(message, state, ctx, t, actor, FlowName.APPLY, data, intro=intro)
