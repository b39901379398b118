"""The application (참여신청) state machine, as one table.

Online applications start as ``draft`` and are submitted by the participant; staff then
certify (인증 → the selection pool, 선발대기), hold (보류) or return (반려) them. Offline (paper)
applications are registered by staff directly in :data:`OFFLINE_INITIAL_STATE` (``certified``).
Selection puts a certified applicant into ``selected`` or ``not_selected``; "unselect" (deleting
the decision) puts them back on the waiting list. Confirmation (확정통보) locks the roster: from
then on nothing may change who is on it (select / not_select / unselect / withdraw), while the
program's own steps — completion and drop-out — need the roster to be locked, because they
happen once it has started.

    state          action     → state         roster
    draft          submit     → submitted
    submitted      certify    → certified
    submitted      hold       → held
    submitted      return     → returned
    held           resubmit   → submitted      (participant fixed what was asked)
    held           certify    → certified      (staff resolved the hold themselves)
    held           return     → returned
    submitted, held, certified,
    selected, not_selected
                   withdraw   → withdrawn      must be open
    certified      select     → selected       must be open
    certified      not_select → not_selected   must be open
    selected,
    not_selected   unselect   → certified      must be open
    selected       complete   → completed      must be locked
    selected       drop       → dropped        must be locked

``returned``, ``withdrawn``, ``completed`` and ``dropped`` are final.

Codes raised (params in parentheses):
- ``app.bad_transition`` (from, action) — the table has no such row (state and action values).
- ``roster.locked`` (action) — the roster is confirmed; the list can no longer change.
- ``roster.not_locked`` (action) — completion/drop-out before the roster is confirmed.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum, StrEnum
from types import MappingProxyType

from bot.domain.errors import DomainError


class ApplicationState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # 인증대기
    CERTIFIED = "certified"  # 인증 = 선발대기
    HELD = "held"  # 보류
    RETURNED = "returned"  # 반려
    WITHDRAWN = "withdrawn"  # 신청취소
    SELECTED = "selected"  # 선발
    NOT_SELECTED = "not_selected"  # 비선발
    COMPLETED = "completed"  # 수료
    DROPPED = "dropped"  # 중도탈락


class ApplicationAction(StrEnum):
    SUBMIT = "submit"
    RESUBMIT = "resubmit"
    CERTIFY = "certify"
    HOLD = "hold"
    RETURN = "return"
    WITHDRAW = "withdraw"
    SELECT = "select"
    NOT_SELECT = "not_select"
    UNSELECT = "unselect"
    COMPLETE = "complete"
    DROP = "drop"


class RosterRule(Enum):
    ANY = "any"
    OPEN = "open"  # only before the roster is confirmed
    LOCKED = "locked"  # only after the roster is confirmed


State = ApplicationState
Action = ApplicationAction

OFFLINE_INITIAL_STATE = ApplicationState.CERTIFIED
ONLINE_INITIAL_STATE = ApplicationState.DRAFT

_S, _A = ApplicationState, ApplicationAction

ROSTER_RULES: Mapping[ApplicationAction, RosterRule] = MappingProxyType(
    {
        _A.WITHDRAW: RosterRule.OPEN,
        _A.SELECT: RosterRule.OPEN,
        _A.NOT_SELECT: RosterRule.OPEN,
        _A.UNSELECT: RosterRule.OPEN,
        _A.COMPLETE: RosterRule.LOCKED,
        _A.DROP: RosterRule.LOCKED,
    }
)

TRANSITIONS: Mapping[tuple[ApplicationState, ApplicationAction], ApplicationState] = (
    MappingProxyType(
        {
            (_S.DRAFT, _A.SUBMIT): _S.SUBMITTED,
            (_S.SUBMITTED, _A.CERTIFY): _S.CERTIFIED,
            (_S.SUBMITTED, _A.HOLD): _S.HELD,
            (_S.SUBMITTED, _A.RETURN): _S.RETURNED,
            (_S.HELD, _A.RESUBMIT): _S.SUBMITTED,
            (_S.HELD, _A.CERTIFY): _S.CERTIFIED,
            (_S.HELD, _A.RETURN): _S.RETURNED,
            (_S.SUBMITTED, _A.WITHDRAW): _S.WITHDRAWN,
            (_S.HELD, _A.WITHDRAW): _S.WITHDRAWN,
            (_S.CERTIFIED, _A.WITHDRAW): _S.WITHDRAWN,
            (_S.SELECTED, _A.WITHDRAW): _S.WITHDRAWN,
            (_S.NOT_SELECTED, _A.WITHDRAW): _S.WITHDRAWN,
            (_S.CERTIFIED, _A.SELECT): _S.SELECTED,
            (_S.CERTIFIED, _A.NOT_SELECT): _S.NOT_SELECTED,
            (_S.SELECTED, _A.UNSELECT): _S.CERTIFIED,
            (_S.NOT_SELECTED, _A.UNSELECT): _S.CERTIFIED,
            (_S.SELECTED, _A.COMPLETE): _S.COMPLETED,
            (_S.SELECTED, _A.DROP): _S.DROPPED,
        }
    )
)

FINAL_STATES = frozenset(
    state for state in ApplicationState if not any(src is state for src, _ in TRANSITIONS)
)


def _roster_refusal(action: ApplicationAction, roster_locked: bool) -> DomainError | None:
    rule = ROSTER_RULES.get(action, RosterRule.ANY)
    if rule is RosterRule.OPEN and roster_locked:
        return DomainError("roster.locked", action=action.value)
    if rule is RosterRule.LOCKED and not roster_locked:
        return DomainError("roster.not_locked", action=action.value)
    return None


def next_state(
    state: ApplicationState | str, action: ApplicationAction | str, *, roster_locked: bool
) -> ApplicationState:
    """The state after ``action``; raises ``app.bad_transition``, ``roster.locked`` or
    ``roster.not_locked``. Plain strings are accepted (values as stored in the database)."""
    src, act = ApplicationState(state), ApplicationAction(action)
    target = TRANSITIONS.get((src, act))
    if target is None:
        raise DomainError("app.bad_transition", **{"from": src.value, "action": act.value})
    refusal = _roster_refusal(act, roster_locked)
    if refusal is not None:
        raise refusal
    return target


def allowed_actions(
    state: ApplicationState | str, *, roster_locked: bool
) -> frozenset[ApplicationAction]:
    """Actions that :func:`next_state` would accept now (for showing buttons)."""
    src = ApplicationState(state)
    return frozenset(
        act for (s, act) in TRANSITIONS if s is src and _roster_refusal(act, roster_locked) is None
    )


def is_final(state: ApplicationState | str) -> bool:
    return ApplicationState(state) in FINAL_STATES
