"""되돌리기: 인증 / 보류 only, by the one who decided, within the window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.errors import DomainError
from bot.domain.undo import UNDO_WINDOW, check_undo

AT = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("action", ["certify", "hold"])
def test_own_recent_decision_can_be_taken_back(action: str) -> None:
    check_undo(action, 7, 7, AT, AT + UNDO_WINDOW)


@pytest.mark.parametrize(
    ("action", "by", "later", "code"),
    [
        ("return", 7, timedelta(0), "review.undo_not_undoable"),
        ("certify", 8, timedelta(0), "review.undo_not_yours"),
        ("hold", 7, UNDO_WINDOW + timedelta(seconds=1), "review.undo_expired"),
    ],
)
def test_refused(action: str, by: int, later: timedelta, code: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_undo(action, by, 7, AT, AT + later)
    assert refused.value.code == code
