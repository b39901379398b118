"""Callback data of the staff feature: account requests, second factor, review desk, offline
applications, handover and history. Every factory packs to ≤ 64 bytes (ids are integers);
field types: ``bot.keyboards.bounds``."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.keyboards.bounds import Id, OptId, Page


class AccountAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    APPROVE_OK = "approve_ok"  # confirmed
    REJECT_OK = "reject_ok"  # confirmed: on to the reason
    BACK = "back"  # not now: the card's 승인 / 반려 again


class AccountCB(CallbackData, prefix="sa"):
    """An approver's decision on a staff account request (sent through the outbox)."""

    action: AccountAction
    req: Id


class ApprovalsAction(StrEnum):
    OPEN = "open"
    PAGE = "page"


class ApprovalsCB(CallbackData, prefix="sap"):
    """/approvals: open one pending request, or page through them."""

    action: ApprovalsAction
    req: OptId = 0
    page: Page = 0


class TotpAction(StrEnum):
    ENROL = "enrol"


class TotpCB(CallbackData, prefix="otp"):
    action: TotpAction


class InboxAction(StrEnum):
    LIST = "list"
    OPEN = "open"


class InboxCB(CallbackData, prefix="ib"):
    action: InboxAction
    app: OptId = 0
    page: Page = 0


class DecisionAction(StrEnum):
    CERTIFY = "certify"
    HOLD = "hold"
    RETURN = "return"
    RETURN_OK = "return_ok"  # 반려 confirmed: on to the reason
    BACK = "back"  # 반려 not confirmed: the card's decisions again
    UNDO = "undo"  # 되돌리기 (인증, 보류)


class ReviewCB(CallbackData, prefix="rv"):
    """A decision on an application card; ``v`` is the version the card showed."""

    action: DecisionAction
    app: Id
    v: OptId


class ReasonKind(StrEnum):
    HOLD = "hold"
    RETURN = "return"
    REJECT = "reject"


class HistoryCB(CallbackData, prefix="hs"):
    app: Id
    page: Page = 0
