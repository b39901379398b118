"""Markup builders shared by every flow. Callback data always comes from CallbackData factories."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Texts

Button = tuple[str, CallbackData | str]


class NavAction(StrEnum):
    CANCEL = "cancel"
    BACK = "back"


class NavCB(CallbackData, prefix="nav"):
    """Flow-independent navigation: cancel the current flow, or go back one step."""

    action: NavAction


class Lang(StrEnum):
    KO = "ko"
    EN = "en"


class LangCB(CallbackData, prefix="lang"):
    code: Lang


def button(text: str, data: CallbackData | str) -> InlineKeyboardButton:
    packed = data.pack() if isinstance(data, CallbackData) else data
    return InlineKeyboardButton(text=text, callback_data=packed)


def inline(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[button(text, data) for text, data in row] for row in rows if row]
    )


def nav_row(t: Texts, *, back: bool = False) -> list[Button]:
    row: list[Button] = []
    if back:
        row.append((t("nav.back"), NavCB(action="back")))
    row.append((t("nav.cancel"), NavCB(action="cancel")))
    return row


def with_nav(
    t: Texts, rows: Sequence[Sequence[Button]], *, back: bool = False
) -> InlineKeyboardMarkup:
    return inline([*rows, nav_row(t, back=back)])


class HomeAction(StrEnum):
    """What a home-menu button does: show the menu, or open one of its screens."""

    OPEN = "open"
    REFRESH = "refresh"  # edit the menu in place
    HELP = "help"
    PROGRAMS = "programs"
    STATUS = "status"
    SURVEY = "survey"
    CERTIFICATE = "certificate"
    PRIVACY = "privacy"
    INBOX = "inbox"
    SELECT = "select"
    MYPROGRAMS = "myprograms"
    EXPORT = "export"
    APPROVALS = "approvals"
    PROGRAMREVIEWS = "programreviews"
    CERTIFICATES = "certificates"
    JOBS = "jobs"


class HomeCB(CallbackData, prefix="home"):
    """The home menu (``bot.handlers.home``)."""

    go: HomeAction = HomeAction.OPEN


def home_row(t: Texts) -> list[Button]:
    """The "🏠 메뉴" button, for the end of a flow or a screen."""
    return [(t("home.button"), HomeCB())]


def with_home(t: Texts, rows: Sequence[Sequence[Button]] = ()) -> InlineKeyboardMarkup:
    """``rows`` and then the 🏠 메뉴 row."""
    return inline([*rows, home_row(t)])
