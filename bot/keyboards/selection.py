"""Callback data of selection, confirmation, assignment, progress, survey and certificates.

Short prefixes and field names keep every packed value well under Telegram's 64 bytes. Prefixes
used by outbox buttons (services name them as strings): ``svst`` (start the survey) and ``crtc``
(a center operator opens a certificate request). Field types: ``bot.keyboards.bounds``.
"""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.keyboards.bounds import Id, OptId, Page, Word


class PickCmd(StrEnum):
    SELECT = "sel"
    CONFIRM = "cnf"
    ASSIGN = "asn"
    PROGRESS = "pgs"
    SURVEYS = "srv"


class ProgramPickCB(CallbackData, prefix="pick6"):
    """A program chosen for one of the staff commands (cmd: sel | cnf | asn | pgs | srv)."""

    cmd: PickCmd
    pid: Id


# --- /select ----------------------------------------------------------------------------------


class SelTab(StrEnum):
    WAITING = "waiting"
    SELECTED = "selected"
    NOT_SELECTED = "not_selected"


class SelPageCB(CallbackData, prefix="selg"):
    """Show a tab (waiting | selected | not_selected) and page of the selection screen."""

    pid: Id
    tab: SelTab
    page: Page


class SelToggleCB(CallbackData, prefix="selt"):
    pid: Id
    aid: Id


class SelAct(StrEnum):
    """What a selection button does (bulk buttons use all of them but ``open``)."""

    OPEN = "open"
    SELECT = "select"
    NOT_SELECT = "not_select"
    UNSELECT = "unselect"
    NES_Y = "nes_y"
    NES_N = "nes_n"
    ALL = "all"
    NONE = "none"


class SelBulkCB(CallbackData, prefix="selb"):
    """act: select | not_select | unselect | nes_y | nes_n | all | none"""

    pid: Id
    act: SelAct


class SelOneCB(CallbackData, prefix="sela"):
    """One applicant: act = open | nes_y | nes_n | select | not_select | unselect."""

    pid: Id
    aid: Id
    act: SelAct


class SelOverCB(CallbackData, prefix="selo"):
    """Answer to "selecting beyond the recruitment — go ahead?"."""

    pid: Id
    ok: bool


# --- /confirm ---------------------------------------------------------------------------------


class ConfirmStep(StrEnum):
    REVIEW = "review"
    FINAL = "final"
    STATUS = "status"


class ConfirmCB(CallbackData, prefix="cnf"):
    """step: review (first confirmation) | final (second) | status (delivery, any time)."""

    pid: Id
    step: ConfirmStep


# --- /assign ----------------------------------------------------------------------------------


class AssignAct(StrEnum):
    PAGE = "page"
    PERSON = "person"
    TO = "to"
    NEWTEAM = "newteam"


class AssignCB(CallbackData, prefix="asn"):
    """act: page | person | to (target=team/company id) | newteam."""

    pid: Id
    act: AssignAct
    aid: OptId = 0
    target: OptId = 0
    page: Page = 0


# --- /progress --------------------------------------------------------------------------------


class ProgressAct(StrEnum):
    PAGE = "page"
    PERSON = "person"
    TRAIN = "train"
    WORK = "work"
    ASKDONE = "askdone"
    COMPLETE = "complete"
    EARLY = "early"
    DROP = "drop"
    CODE = "code"
    DODROP = "dodrop"


class ProgressCB(CallbackData, prefix="pgs"):
    """act: page | person | train | work (value=status) | askdone | complete | early | drop |
    code (value=drop-out code) | dodrop."""

    pid: Id
    act: ProgressAct
    aid: OptId = 0
    value: Word = ""
    page: Page = 0


# --- survey -----------------------------------------------------------------------------------


class SurveyStartCB(CallbackData, prefix="svst"):
    """Start (or resume) the survey of one application."""

    aid: Id


class SurveyStaffAct(StrEnum):
    LIST = "list"
    ENTER = "enter"


class SurveyStaffCB(CallbackData, prefix="svsf"):
    """Staff: act = list (page) | enter (aid) — 수기 작성."""

    pid: Id
    act: SurveyStaffAct
    aid: OptId = 0
    page: Page = 0


# --- certificates -----------------------------------------------------------------------------


class CertAct(StrEnum):
    REQUEST = "request"
    DOWNLOAD = "download"


class CertCB(CallbackData, prefix="crt"):
    """Participant: act = request | download."""

    act: CertAct
    aid: Id


class CertCenterAct(StrEnum):
    OPEN = "open"
    APPROVE = "approve"
    REJECT = "reject"
    LIST = "list"


class CertCenterCB(CallbackData, prefix="crtc"):
    """Center: act = open | approve | reject | list (page in cid)."""

    act: CertCenterAct
    cid: OptId
