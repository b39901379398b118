"""Callback data of the participant screens (catalogue, status, privacy); the eligibility check
and the application form are on the form engine (``bot.forms.telegram.FormCB``).

Prefixes are unique across the project (``p…`` for participant screens). ``MyAppCB`` is a
cross-feature contract: staff decisions send a held application's owner a button
``{"cb": "myapp", "args": {"action": "amend", "app_id": N}}`` that opens the amend flow.
Field types: ``bot.keyboards.bounds`` (a value outside them never reaches a handler).
"""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.keyboards.bounds import Id, Page, Word


class MyAppAction(StrEnum):
    VIEW = "view"
    AMEND = "amend"
    WITHDRAW = "withdraw"


class MyAppCB(CallbackData, prefix="myapp"):
    """One of the caller's own applications: view | amend | withdraw (ownership is checked)."""

    action: MyAppAction
    app_id: Id


class WithdrawCB(CallbackData, prefix="pwdr"):
    """Confirmation of /withdraw for one application."""

    app_id: Id
    confirm: bool


class CatalogueAction(StrEnum):
    LIST = "list"
    TYPES = "types"
    REGIONS = "regions"
    OPEN = "open"


class CatalogueCB(CallbackData, prefix="pcat"):
    """The program list: a page with filters (``ptype``/``region`` empty = all).

    action: list (show the page) | types (pick a type) | regions (pick a region) | open
    """

    action: CatalogueAction
    page: Page = 0
    ptype: Word = ""
    region: Word = ""


class ProgramAction(StrEnum):
    VIEW = "view"  # the short card
    DETAILS = "details"  # 자세히: everything else
    APPLY = "apply"


class ProgramCB(CallbackData, prefix="pcard"):
    """A program card (view) or the start of an application to it (apply)."""

    action: ProgramAction
    pid: Id


class PrivacyAction(StrEnum):
    OPTIN = "optin"
    OPTOUT = "optout"
    ERASE = "erase"
    ERASE_OK = "erase_ok"
    KEEP = "keep"


class PrivacyCB(CallbackData, prefix="ppriv"):
    """/privacy: optin | optout (news) | erase (show what would be erased) | erase_ok | keep."""

    action: PrivacyAction
