"""The home menu: one message per role with the next useful actions and live counts.

/menu (and /start, the 🏠 메뉴 button at the end of flows, consent given) shows it; its 🔄 button
edits it in place. Each of its buttons opens the same screen as the command (``SCREENS``): the
staff and center buttons are handled by gated routers, so the role and second-factor checks are
the commands' own. Free text outside a flow is answered by :func:`offer_help` (a program search
for participants, and the menu).
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.conversations import onboarding
from bot.domain.pii import looks_like_rrn
from bot.handlers.menu import help_text
from bot.i18n import Texts
from bot.keyboards.common import Button, HomeCB, home_row, inline
from bot.keyboards.participant import ProgramCB
from bot.middlewares.access import center_router, staff_or_center_router, staff_router
from bot.services import catalogue, home
from bot.services.context import AppContext
from bot.services.identity import Actor, Role
from bot.services.second_factor import FactorStatus, factor_status

router = Router(name="home")  # /menu, the menu itself and the participants' screens
staff = staff_router("home_staff")
staff_basic = staff_router("home_inbox", permission="basic")
center = center_router("home_center")
staff_or_center = staff_or_center_router("home_export")

Screen = Callable[..., Awaitable[Any]]


def _screens() -> dict[str, Screen]:
    """The command handler behind each menu button (imported here: they import much)."""
    from bot.handlers import (
        catalogue as programs,
    )
    from bot.handlers import (
        certificates,
        export,
        jobs,
        my_programs,
        privacy,
        program_reviews,
        review,
        selection,
        staff_admin,
        status,
    )
    from bot.handlers.survey import cmd_survey

    return {
        "programs": programs.programs,
        "status": status.status,
        "survey": cmd_survey,
        "certificate": certificates.cmd_certificate,
        "privacy": privacy.show_privacy,
        "inbox": review.inbox_command,
        "select": selection.cmd_select,
        "myprograms": my_programs.my_programs,
        "export": export.start_export,
        "approvals": staff_admin.approvals,
        "programreviews": program_reviews.review_queue,
        "certificates": certificates.cmd_certificates,
        "jobs": jobs.show_jobs,
    }


PARTICIPANT_SCREENS = frozenset({"programs", "status", "survey", "certificate", "privacy"})
STAFF_SCREENS = frozenset({"select", "myprograms"})
CENTER_SCREENS = frozenset({"approvals", "programreviews", "certificates", "jobs"})


# --- rendering ---------------------------------------------------------------------------


def _participant(t: Texts, c: home.ParticipantCounts) -> list[list[Button]]:
    rows: list[list[Button]] = [
        [(t("home.btn.programs", n=c.open_programs), HomeCB(go="programs"))],
        [(t("home.btn.status", n=c.applications), HomeCB(go="status"))],
    ]
    if c.surveys_due:
        rows.append([(t("home.btn.survey", n=c.surveys_due), HomeCB(go="survey"))])
    if c.certificates_due:
        rows.append([(t("home.btn.certificate"), HomeCB(go="certificate"))])
    rows.append([(t("home.btn.privacy"), HomeCB(go="privacy"))])
    return rows


def _staff(t: Texts, c: home.StaffCounts | None) -> list[list[Button]]:
    inbox = t("home.btn.inbox", n=c.inbox) if c else t("home.btn.inbox_plain")
    select = t("home.btn.select", n=c.to_select) if c else t("home.btn.select_plain")
    return [
        [(inbox, HomeCB(go="inbox"))],
        [(select, HomeCB(go="select"))],
        [(t("home.btn.myprograms"), HomeCB(go="myprograms"))],
        [(t("home.btn.export"), HomeCB(go="export"))],
    ]


def _center(t: Texts, c: home.CenterCounts | None) -> list[list[Button]]:
    def label(key: str, n: int | None) -> str:
        return t(f"home.btn.{key}", n=n) if n is not None else t(f"home.btn.{key}_plain")

    return [
        [(label("approvals", c.approvals if c else None), HomeCB(go="approvals"))],
        [(label("programreviews", c.program_reviews if c else None), HomeCB(go="programreviews"))],
        [(label("certificates", c.certificates if c else None), HomeCB(go="certificates"))],
        [(t("home.btn.jobs"), HomeCB(go="jobs")), (t("home.btn.export"), HomeCB(go="export"))],
    ]


async def render(
    ctx: AppContext, actor: Actor, t: Texts, lead: str = ""
) -> tuple[str, InlineKeyboardMarkup]:
    """The menu for ``actor``; staff and center counts only after a fresh second factor."""
    lines = [lead] if lead else []
    lines += [t("home.title"), t(f"home.intro.{actor.role.value}")]
    if actor.role is Role.PARTICIPANT:
        rows = _participant(t, await home.participant_counts(ctx, actor))
    else:
        fresh = await factor_status(ctx, actor.telegram_id) is FactorStatus.OK
        if actor.is_center:
            rows = _center(t, await home.center_counts(ctx) if fresh else None)
        else:
            counts = await home.staff_counts(ctx, actor) if fresh else None
            rows = _staff(t, counts)
            if counts is not None and counts.held:
                lines.append(t("home.held", n=counts.held))
        if not fresh:
            lines.append(t("home.counts_after_code"))
    rows.append(
        [(t("home.btn.help"), HomeCB(go="help")), (t("home.btn.refresh"), HomeCB(go="refresh"))]
    )
    return "\n".join(lines), inline(rows)


async def show(message: Message, ctx: AppContext, actor: Actor, t: Texts, lead: str = "") -> None:
    text, markup = await render(ctx, actor, t, lead)
    await message.answer(text, reply_markup=markup)


# --- handlers ----------------------------------------------------------------------------


@router.message(Command("menu"))
async def menu_command(
    message: Message, ctx: AppContext, actor: Actor, state: FSMContext, t: Texts
) -> None:
    await state.clear()
    await show(message, ctx, actor, t)


@router.callback_query(HomeCB.filter(F.go.in_({"open", "refresh", "help"})))
async def open_menu(
    query: CallbackQuery, callback_data: HomeCB, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    await query.answer()
    message = query.message
    if not isinstance(message, Message):
        return
    if callback_data.go == "help":
        await message.answer(help_text(t, actor.role), reply_markup=inline([home_row(t)]))
        return
    if callback_data.go == "refresh":
        text, markup = await render(ctx, actor, t)
        with contextlib.suppress(TelegramBadRequest):  # "message is not modified"
            await message.edit_text(text, reply_markup=markup)
        return
    await show(message, ctx, actor, t)


async def _open_screen(query: CallbackQuery, go: str, **available: Any) -> None:
    """Run the command handler behind ``go`` with the arguments it asks for."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    screen = _screens()[go]
    wanted = inspect.signature(screen).parameters
    available["message"] = query.message
    available.setdefault("command", None)
    await screen(**{k: v for k, v in available.items() if k in wanted})


async def _screen_handler(
    query: CallbackQuery,
    callback_data: HomeCB,
    ctx: AppContext,
    actor: Actor,
    state: FSMContext,
    t: Texts,
    bot: Bot,
) -> None:
    await state.clear()
    await _open_screen(
        query,
        callback_data.go,
        ctx=ctx,
        actor=actor,
        state=state,
        t=t,
        bot=bot,
        command=CommandObject(command=callback_data.go),
    )


router.callback_query.register(_screen_handler, HomeCB.filter(F.go.in_(PARTICIPANT_SCREENS)))
staff.callback_query.register(_screen_handler, HomeCB.filter(F.go.in_(STAFF_SCREENS)))
staff_basic.callback_query.register(_screen_handler, HomeCB.filter(F.go == "inbox"))
center.callback_query.register(_screen_handler, HomeCB.filter(F.go.in_(CENTER_SCREENS)))
staff_or_center.callback_query.register(_screen_handler, HomeCB.filter(F.go == "export"))
ROUTERS = (router, staff, staff_basic, center, staff_or_center)


# --- free text and consent ---------------------------------------------------------------


async def offer_help(message: Message, ctx: AppContext, actor: Actor, t: Texts) -> None:
    """Free text outside a flow: programs matching it (participants), and the menu."""
    words = "".join(ch for ch in (message.text or "") if ch.isprintable()).strip()[:50]
    if looks_like_rrn(words):  # never echoed (the scrubber deletes the message)
        words = ""
    if actor.role is Role.PARTICIPANT and words and not words.startswith("/"):
        found = await catalogue.search_programs(ctx, words)
        rows: list[list[Button]] = [
            [(item.name[:40], ProgramCB(action="view", pid=item.id))] for item in found
        ]
        rows.append([(t("home.btn.programs_all"), HomeCB(go="programs"))])
        rows.append(home_row(t))
        key = "home.search.found" if found else "home.search.none"
        await message.answer(t(key, words=words[:50], n=len(found)), reply_markup=inline(rows))
        return
    await message.answer(t("fallback.unknown"), reply_markup=inline([home_row(t)]))


async def after_consent(
    message: Message, payload: str, actor: Actor, t: Texts, state: FSMContext, ctx: AppContext
) -> bool:
    """Consent given and no program or link waiting: "saved" and the menu, in one message."""
    await show(message, ctx, actor, t, lead="" if payload else t("onboarding.done"))
    return True


if after_consent not in onboarding.done_hooks:
    onboarding.done_hooks.append(after_consent)
