"""Taking back a review decision (되돌리기): only 인증 and 보류, only the last decision, only by
the person who made it, and only for a short while. 반려 is final (it asks to confirm instead)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.errors import DomainError

UNDO_WINDOW = timedelta(minutes=10)
UNDOABLE = ("certify", "hold")


def check_undo(
    action: str, decided_by: int | None, actor_id: int, decided_at: datetime, now: datetime
) -> None:
    """Raise unless the decision ``action`` may be taken back by ``actor_id`` at ``now``."""
    if action not in UNDOABLE:
        raise DomainError("review.undo_not_undoable")
    if decided_by != actor_id:
        raise DomainError("review.undo_not_yours")
    if now - decided_at > UNDO_WINDOW:
        raise DomainError("review.undo_expired", minutes=int(UNDO_WINDOW.total_seconds() // 60))
