"""Recruitment head counts (모집인원).

Intern type sets a head count per host company, project type per job (직무); the parts must add
up to the program's total recruitment exactly.

Codes raised (params in parentheses):
- ``recruit.bad_count`` (name, value) — a negative count, or a total below 1 (name ``"total"``).
- ``recruit.sum_mismatch`` (total, sum, diff) — ``diff = total − sum``: positive means that many
  places are still unassigned, negative means the parts exceed the total by ``-diff``.
- ``recruit.company_full`` (headcount, assigned) — no place left at that company (or job).
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.errors import DomainError


def check_headcounts(total: int, parts: Mapping[str, int]) -> None:
    """Refuse negative counts and parts whose sum differs from ``total``."""
    if total < 1:
        raise DomainError("recruit.bad_count", name="total", value=total)
    for name, value in parts.items():
        if value < 0:
            raise DomainError("recruit.bad_count", name=name, value=value)
    parts_sum = sum(parts.values())
    if parts_sum != total:
        raise DomainError(
            "recruit.sum_mismatch", total=total, sum=parts_sum, diff=total - parts_sum
        )


def remaining_capacity(headcount: int, assigned: int) -> int:
    """Places still free (never negative, even when more were assigned than planned)."""
    return max(headcount - assigned, 0)


def check_company_capacity(headcount: int, assigned: int, adding: int = 1) -> int:
    """Refuse assigning ``adding`` more people; return the places left afterwards."""
    if assigned + adding > headcount:
        raise DomainError("recruit.company_full", headcount=headcount, assigned=assigned)
    return headcount - assigned - adding
