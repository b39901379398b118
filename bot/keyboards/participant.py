"""Callback data of the participant screens (catalogue, status, privacy); the eligibility check
and the application form are on the form engine (``bot.forms.telegram.FormCB``).

Prefixes are unique across the project (``p…`` for participant screens). ``MyAppCB`` is a
cross-feature contract: staff decisions send a held application's owner a button
``{"cb": "myapp", "args": {"action": "amend", "app_id": N}}`` that opens the amend flow.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class MyAppCB(CallbackData, prefix="myapp"):
    """One of the caller's own applications: view | amend | withdraw (ownership is checked)."""

    action: str
    app_id: int


class WithdrawCB(CallbackData, prefix="pwdr"):
    """Confirmation of /withdraw for one application."""

    app_id: int
    confirm: bool


class CatalogueCB(CallbackData, prefix="pcat"):
    """The program list: a page with filters (``ptype``/``region`` empty = all).

    action: list (show the page) | types (pick a type) | regions (pick a region)
    """

    action: str
    page: int = 0
    ptype: str = ""
    region: str = ""


class ProgramCB(CallbackData, prefix="pcard"):
    """A program card (view) or the start of an application to it (apply)."""

    action: str
    pid: int


class PrivacyCB(CallbackData, prefix="ppriv"):
    """/privacy: optin | optout (news) | erase (show what would be erased) | erase_ok."""

    action: str
