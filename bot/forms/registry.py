"""Every flow on the engine, by name (the name is in the FSM state and in callback data)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from bot.forms.spec import Flow
from bot.services.context import AppContext
from bot.services.identity import Role


class FlowName(StrEnum):
    APPLY = "apply"
    HOSTCO = "hostco"
    EXPORT = "export"
    REASON = "reason"
    HANDOVER = "handover"
    CERT_REJECT = "cert_reject"
    JOIN = "join"
    JOB = "job"
    HEADCOUNT = "headcount"
    PROGRAM_REJECT = "program_reject"
    EARLY_COMPLETION = "early_completion"
    NEW_TEAM = "new_team"
    RECRUIT_UNTIL = "recruit_until"
    PROGRAM = "program"
    PROGRAM_FILES = "program_files"
    OFFLINE = "offline"
    OFFLINE_LINK = "offline_link"
    SURVEY = "survey"
    ONBOARDING = "onboarding"
    TOTP = "totp"


@dataclass(frozen=True)
class Entry:
    build: Callable[[AppContext], Flow]
    roles: frozenset[Role] = frozenset()  # who may use it (empty: anyone; services check more)
    permission: str | None = None  # a staff permission it needs


STAFF = frozenset({Role.STAFF, Role.HEAD})
STAFF_OR_CENTER = STAFF | {Role.CENTER}


@cache
def _entries() -> dict[FlowName, Entry]:
    from bot.conversations import (
        application,
        cert_reject,
        early_completion,
        export,
        handover,
        headcount,
        host_company,
        job_add,
        join,
        new_team,
        offline_application,
        offline_link,
        onboarding,
        program_files,
        program_reject,
        program_until,
        program_wizard,
        review_reason,
        survey,
        totp,
    )

    return {
        FlowName.APPLY: Entry(application.flow),
        FlowName.HOSTCO: Entry(host_company.flow, STAFF, "program"),
        FlowName.EXPORT: Entry(export.flow, STAFF_OR_CENTER),
        FlowName.REASON: Entry(review_reason.flow, STAFF_OR_CENTER),
        FlowName.HANDOVER: Entry(handover.flow, frozenset({Role.HEAD})),
        FlowName.CERT_REJECT: Entry(cert_reject.flow, frozenset({Role.CENTER})),
        FlowName.JOIN: Entry(join.flow),  # anyone not staff yet (the service checks)
        FlowName.JOB: Entry(job_add.flow, STAFF, "program"),
        FlowName.HEADCOUNT: Entry(headcount.flow, STAFF, "program"),
        FlowName.PROGRAM_REJECT: Entry(program_reject.flow, frozenset({Role.CENTER})),
        FlowName.EARLY_COMPLETION: Entry(early_completion.flow, STAFF),
        FlowName.NEW_TEAM: Entry(new_team.flow, STAFF),
        FlowName.RECRUIT_UNTIL: Entry(program_until.flow, STAFF),
        FlowName.PROGRAM: Entry(program_wizard.flow, STAFF, "program"),
        FlowName.PROGRAM_FILES: Entry(program_files.flow, STAFF, "program"),
        FlowName.OFFLINE: Entry(offline_application.flow, STAFF, "basic"),
        FlowName.OFFLINE_LINK: Entry(offline_link.flow),  # participants (the service checks)
        # participants, or staff 수기 작성 (the service checks)
        FlowName.SURVEY: Entry(survey.flow),
        FlowName.ONBOARDING: Entry(onboarding.flow),  # anyone: the consents come first
        # no gate: it is what the gate asks for (the service checks the role)
        FlowName.TOTP: Entry(totp.flow),
    }


def flow_of(name: FlowName, ctx: AppContext) -> Flow:
    return _entries()[name].build(ctx)


def gate_of(name: FlowName) -> tuple[frozenset[Role], str | None]:
    entry = _entries()[name]
    return entry.roles, entry.permission
