"""Callback data of program registration, host companies, jobs and the center's review.

Prefixes are short and unique: outbox buttons name them (``preg``: open a program for staff,
``prv``: open a program for review by the center).
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class WizChoiceCB(CallbackData, prefix="pwc"):
    """A choice at one wizard step (type, region, yes/no, skip, agency contact)."""

    field: str
    value: str


class ProgCB(CallbackData, prefix="preg"):
    """An action on a program from its summary (works from any state: it names the program).

    actions: open, fields, edit (arg = field), resume, attach, upload (arg = plan | training),
    pdf, submit, companies, addco, jobs, addjob
    """

    action: str
    pid: int
    arg: str = ""


class CompanyCB(CallbackData, prefix="hco"):
    """actions: del (ask), delok (confirm), hc (change head count)."""

    action: str
    cid: int


class JobCB(CallbackData, prefix="pjob"):
    """actions: del (ask), delok (confirm), hc (change head count)."""

    action: str
    jid: int


class CompanyStepCB(CallbackData, prefix="hcf"):
    """A choice inside the host-company steps (overseas, yes/no, same address, save)."""

    step: str
    value: str


class MyProgPageCB(CallbackData, prefix="myp"):
    page: int


class ReviewCB(CallbackData, prefix="prv"):
    """Center review. actions: open, approve, reject, ok / no (insured check of ``cid``), pdf."""

    action: str
    pid: int
    cid: int = 0


class ReviewPageCB(CallbackData, prefix="prvp"):
    page: int
