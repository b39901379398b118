"""Callback data of the staff feature: account requests, second factor, review desk, offline
applications, handover and history. Every factory packs to ≤ 64 bytes (ids are integers)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class JoinCB(CallbackData, prefix="sj"):
    """/join steps: ``field`` names the step, ``value`` the choice (ids as text)."""

    field: str
    value: str = ""


class AccountCB(CallbackData, prefix="sa"):
    """An approver's decision on a staff account request (sent through the outbox)."""

    action: str  # approve | reject
    req: int


class ApprovalsCB(CallbackData, prefix="sap"):
    """/approvals: open one pending request, or page through them."""

    action: str  # open | page
    req: int = 0
    page: int = 0


class TotpCB(CallbackData, prefix="otp"):
    action: str  # enrol


class InboxCB(CallbackData, prefix="ib"):
    action: str  # list | open
    app: int = 0
    page: int = 0


class ReviewCB(CallbackData, prefix="rv"):
    """A decision on an application card; ``v`` is the version the card showed."""

    action: str  # certify | hold | return
    app: int
    v: int


class ReasonCB(CallbackData, prefix="rs"):
    """A quick-pick reason (``pick`` indexes the kind's list) for a hold, return or rejection."""

    kind: str  # hold | return | reject
    target: int
    pick: int


class HistoryCB(CallbackData, prefix="hs"):
    app: int
    page: int = 0


class HandoverCB(CallbackData, prefix="ho"):
    step: str  # leaver | successor | confirm
    staff: int = 0


class OfflineCB(CallbackData, prefix="of"):
    field: str
    value: str = ""
