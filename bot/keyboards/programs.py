"""Callback data of program registration, host companies, jobs and the center's review.

Prefixes are short and unique: outbox buttons name them (``preg``: open a program for staff,
``prv``: open a program for review by the center). Field types: ``bot.keyboards.bounds``.
"""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.keyboards.bounds import Id, OptId, Page, Word


class ProgAction(StrEnum):
    OPEN = "open"
    FIELDS = "fields"  # the wizard's list of fields (bot.conversations.program_starts)
    RESUME = "resume"
    ATTACH = "attach"
    UPLOAD = "upload"
    PDF = "pdf"
    SUBMIT = "submit"
    COMPANIES = "companies"
    ADDCO = "addco"
    JOBS = "jobs"
    ADDJOB = "addjob"
    UNTIL = "until"  # 모집 마감일 (bot.handlers.recruit_until)


class ProgCB(CallbackData, prefix="preg"):
    """An action on a program from its summary (works from any state: it names the program).

    actions: open, fields, resume, attach, upload (arg = plan | training),
    pdf, submit, companies (arg = page), addco, jobs, addjob
    """

    action: ProgAction
    pid: Id
    arg: Word = ""


class ItemAction(StrEnum):
    """What a host company's or a job's button does."""

    DELETE = "del"  # ask
    DELETE_OK = "delok"  # confirmed
    HEADCOUNT = "hc"  # change the head count


class CompanyCB(CallbackData, prefix="hco"):
    """actions: del (ask), delok (confirm), hc (change head count)."""

    action: ItemAction
    cid: Id


class JobCB(CallbackData, prefix="pjob"):
    """actions: del (ask), delok (confirm), hc (change head count)."""

    action: ItemAction
    jid: Id


class MyProgPageCB(CallbackData, prefix="myp"):
    page: Page


class ReviewAction(StrEnum):
    OPEN = "open"
    APPROVE = "approve"
    REJECT = "reject"
    OK = "ok"
    NO = "no"
    PDF = "pdf"


class ReviewCB(CallbackData, prefix="prv"):
    """Center review. actions: open, approve, reject, ok / no (insured check of ``cid``), pdf."""

    action: ReviewAction
    pid: Id
    cid: OptId = 0


class ReviewPageCB(CallbackData, prefix="prvp"):
    page: Page
