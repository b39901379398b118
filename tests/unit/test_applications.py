import itertools

import pytest

from bot.domain.applications import (
    FINAL_STATES,
    OFFLINE_INITIAL_STATE,
    ONLINE_INITIAL_STATE,
    TRANSITIONS,
    ApplicationAction,
    ApplicationState,
    allowed_actions,
    is_final,
    next_state,
)
from bot.domain.errors import DomainError

S, A = ApplicationState, ApplicationAction

OPEN_ONLY = {A.WITHDRAW, A.SELECT, A.NOT_SELECT, A.UNSELECT}
LOCKED_ONLY = {A.COMPLETE, A.DROP}

EXPECTED = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.CERTIFY): S.CERTIFIED,
    (S.SUBMITTED, A.HOLD): S.HELD,
    (S.SUBMITTED, A.RETURN): S.RETURNED,
    (S.HELD, A.RESUBMIT): S.SUBMITTED,
    (S.HELD, A.CERTIFY): S.CERTIFIED,
    (S.HELD, A.RETURN): S.RETURNED,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.HELD, A.WITHDRAW): S.WITHDRAWN,
    (S.CERTIFIED, A.WITHDRAW): S.WITHDRAWN,
    (S.SELECTED, A.WITHDRAW): S.WITHDRAWN,
    (S.NOT_SELECTED, A.WITHDRAW): S.WITHDRAWN,
    (S.CERTIFIED, A.SELECT): S.SELECTED,
    (S.CERTIFIED, A.NOT_SELECT): S.NOT_SELECTED,
    (S.SELECTED, A.UNSELECT): S.CERTIFIED,
    (S.NOT_SELECTED, A.UNSELECT): S.CERTIFIED,
    (S.SELECTED, A.COMPLETE): S.COMPLETED,
    (S.SELECTED, A.DROP): S.DROPPED,
}


def test_state_and_action_values() -> None:
    assert [s.value for s in S] == [
        "draft",
        "submitted",
        "certified",
        "held",
        "returned",
        "withdrawn",
        "selected",
        "not_selected",
        "completed",
        "dropped",
    ]
    assert {a.value for a in A} == {
        "submit",
        "resubmit",
        "certify",
        "hold",
        "return",
        "withdraw",
        "select",
        "not_select",
        "unselect",
        "complete",
        "drop",
    }


def test_table_is_exactly_the_documented_one() -> None:
    assert dict(TRANSITIONS) == EXPECTED


def test_initial_states() -> None:
    assert OFFLINE_INITIAL_STATE is S.CERTIFIED
    assert ONLINE_INITIAL_STATE is S.DRAFT


@pytest.mark.parametrize(("src", "action"), list(EXPECTED))
def test_allowed_transitions(src: ApplicationState, action: ApplicationAction) -> None:
    locked = action in LOCKED_ONLY
    assert next_state(src, action, roster_locked=locked) is EXPECTED[src, action]
    if action not in OPEN_ONLY | LOCKED_ONLY:  # indifferent to the roster
        assert next_state(src, action, roster_locked=not locked) is EXPECTED[src, action]


def test_plain_string_values_are_accepted() -> None:
    assert next_state("draft", "submit", roster_locked=False) is S.SUBMITTED


FORBIDDEN = [pair for pair in itertools.product(S, A) if pair not in EXPECTED]


@pytest.mark.parametrize("locked", [False, True])
@pytest.mark.parametrize(("src", "action"), FORBIDDEN)
def test_every_forbidden_transition(
    src: ApplicationState, action: ApplicationAction, locked: bool
) -> None:
    with pytest.raises(DomainError) as exc:
        next_state(src, action, roster_locked=locked)
    assert exc.value.code == "app.bad_transition"
    assert exc.value.params == {"from": src.value, "action": action.value}


def test_forbidden_list_is_complete() -> None:
    assert len(FORBIDDEN) == len(S) * len(A) - len(EXPECTED)


@pytest.mark.parametrize(("src", "action"), [pair for pair in EXPECTED if pair[1] in OPEN_ONLY])
def test_roster_lock_refuses_list_changes(
    src: ApplicationState, action: ApplicationAction
) -> None:
    with pytest.raises(DomainError) as exc:
        next_state(src, action, roster_locked=True)
    assert exc.value.code == "roster.locked"
    assert exc.value.params == {"action": action.value}


@pytest.mark.parametrize(("src", "action"), [(S.SELECTED, A.COMPLETE), (S.SELECTED, A.DROP)])
def test_completion_needs_a_confirmed_roster(
    src: ApplicationState, action: ApplicationAction
) -> None:
    with pytest.raises(DomainError) as exc:
        next_state(src, action, roster_locked=False)
    assert exc.value.code == "roster.not_locked"
    assert exc.value.params == {"action": action.value}


def test_final_states() -> None:
    assert FINAL_STATES == {S.RETURNED, S.WITHDRAWN, S.COMPLETED, S.DROPPED}
    assert is_final("completed")
    assert not is_final(S.HELD)


def test_allowed_actions_match_next_state() -> None:
    for src, locked in itertools.product(S, (False, True)):
        allowed = allowed_actions(src, roster_locked=locked)
        for action in A:
            try:
                next_state(src, action, roster_locked=locked)
            except DomainError:
                assert action not in allowed
            else:
                assert action in allowed
    assert allowed_actions(S.CERTIFIED, roster_locked=False) == {
        A.WITHDRAW,
        A.SELECT,
        A.NOT_SELECT,
    }
    assert allowed_actions(S.SELECTED, roster_locked=True) == {A.COMPLETE, A.DROP}
    assert allowed_actions(S.COMPLETED, roster_locked=True) == frozenset()


def test_unknown_values_are_programming_errors() -> None:
    with pytest.raises(ValueError):
        next_state("archived", "submit", roster_locked=False)
    with pytest.raises(ValueError):
        next_state("draft", "approve", roster_locked=False)
