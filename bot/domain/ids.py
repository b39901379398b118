"""Database ids that can be looked up: 1..2^31−1 (a 32-bit signed INTEGER column).

Ids reach the services from buttons and typed commands; one outside this range is refused before
it gets near the database (SQLite raises ``OverflowError`` for 2^63, PostgreSQL a DataError).
"""

from __future__ import annotations

MAX_ID = 2**31 - 1


def is_id(value: object) -> bool:
    """True for an int (not a bool) in 1..MAX_ID."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID
