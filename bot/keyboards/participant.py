"""Callback data of the participant screens (catalogue, eligibility, form, status, privacy).

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


class EligCB(CallbackData, prefix="pelig"):
    """An answer to the eligibility question ``key`` (stale when ``key`` is not being asked).

    value: "1" yes | "0" no | "?" don't know | a number
    """

    key: str
    value: str


class EligStepCB(CallbackData, prefix="pelst"):
    """Eligibility result screen: continue | change (list answers) | edit (one answer, ``key``)."""

    action: str
    key: str = ""


class ApplyCB(CallbackData, prefix="papp"):
    """Application form buttons.

    action: edu (value = education code) | job (value = job id) | skip (no résumé) |
    edit (value = field) | submit | elig (change eligibility answers)
    field: the form step the button belongs to (a button of another step is stale)
    """

    action: str
    field: str
    value: str = ""


class PrivacyCB(CallbackData, prefix="ppriv"):
    """/privacy: optin | optout (news) | erase (show what would be erased) | erase_ok."""

    action: str
