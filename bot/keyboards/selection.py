"""Callback data of selection, confirmation, assignment, progress, survey and certificates.

Short prefixes and field names keep every packed value well under Telegram's 64 bytes. Prefixes
used by outbox buttons (services name them as strings): ``svst`` (start the survey) and ``crtc``
(a center operator opens a certificate request).
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class ProgramPickCB(CallbackData, prefix="pick6"):
    """A program chosen for one of the staff commands (cmd: sel | cnf | asn | pgs | srv)."""

    cmd: str
    pid: int


# --- /select ----------------------------------------------------------------------------------


class SelPageCB(CallbackData, prefix="selg"):
    """Show a tab (waiting | selected | not_selected) and page of the selection screen."""

    pid: int
    tab: str
    page: int


class SelToggleCB(CallbackData, prefix="selt"):
    pid: int
    aid: int


class SelBulkCB(CallbackData, prefix="selb"):
    """act: select | not_select | unselect | nes_y | nes_n | all | none"""

    pid: int
    act: str


class SelOneCB(CallbackData, prefix="sela"):
    """One applicant: act = open | nes_y | nes_n | select | not_select | unselect."""

    pid: int
    aid: int
    act: str


class SelOverCB(CallbackData, prefix="selo"):
    """Answer to "selecting beyond the recruitment — go ahead?"."""

    pid: int
    ok: bool


# --- /confirm ---------------------------------------------------------------------------------


class ConfirmCB(CallbackData, prefix="cnf"):
    """step: review (first confirmation) | final (second) | status (delivery, any time)."""

    pid: int
    step: str


# --- /assign ----------------------------------------------------------------------------------


class AssignCB(CallbackData, prefix="asn"):
    """act: page | person | to (target=team/company id) | newteam."""

    pid: int
    act: str
    aid: int = 0
    target: int = 0
    page: int = 0


# --- /progress --------------------------------------------------------------------------------


class ProgressCB(CallbackData, prefix="pgs"):
    """act: page | person | train | work (value=status) | complete | early | drop | code
    (value=drop-out code) | dodrop."""

    pid: int
    act: str
    aid: int = 0
    value: str = ""
    page: int = 0


# --- survey -----------------------------------------------------------------------------------


class SurveyStartCB(CallbackData, prefix="svst"):
    """Start (or resume) the survey of one application."""

    aid: int


class SurveyAnswerCB(CallbackData, prefix="svan"):
    """A scale answer (v) to question number q; v = 0 skips an optional question."""

    aid: int
    q: int
    v: int


class SurveySubmitCB(CallbackData, prefix="svsb"):
    aid: int


class SurveyStaffCB(CallbackData, prefix="svsf"):
    """Staff: act = list (page) | enter (aid) — 수기 작성."""

    pid: int
    act: str
    aid: int = 0
    page: int = 0


# --- certificates -----------------------------------------------------------------------------


class CertCB(CallbackData, prefix="crt"):
    """Participant: act = request | download."""

    act: str
    aid: int


class CertCenterCB(CallbackData, prefix="crtc"):
    """Center: act = open | approve | reject | list (page in cid)."""

    act: str
    cid: int
