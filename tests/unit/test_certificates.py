import random
import re

import pytest

from bot.domain.certificates import (
    issue_number_is_wellformed,
    make_issue_number,
    parse_issue_number,
)


def test_shape() -> None:
    number = make_issue_number(2026, 123)
    assert re.fullmatch(r"YWE-2026-000123-[0-9A-Z]", number)
    assert issue_number_is_wellformed(number)
    assert issue_number_is_wellformed(f"  {number.lower()} ")
    assert parse_issue_number(number) == (2026, 123)


def test_deterministic_and_distinct() -> None:
    assert make_issue_number(2026, 1) == make_issue_number(2026, 1)
    numbers = {make_issue_number(2026, seq) for seq in range(1, 500)}
    assert len(numbers) == 499


@pytest.mark.parametrize(("year", "seq"), [(999, 1), (10000, 1), (2026, 0), (2026, 1_000_000)])
def test_out_of_range_is_a_programming_error(year: int, seq: int) -> None:
    with pytest.raises(ValueError):
        make_issue_number(year, seq)


def test_every_single_character_typo_is_caught() -> None:
    rng = random.Random(7)
    for _ in range(200):
        number = make_issue_number(rng.randint(2020, 2099), rng.randint(1, 999_999))
        for i, char in enumerate(number):
            if char == "-" or i < 4:
                continue
            for other in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ":
                if other != char:
                    typo = number[:i] + other + number[i + 1 :]
                    assert not issue_number_is_wellformed(typo), typo


def test_adjacent_digit_swaps_are_caught() -> None:
    number = make_issue_number(2026, 123457)
    body = number[4:8] + number[9:15]
    for i in range(len(body) - 1):
        if body[i] != body[i + 1]:
            swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
            typo = f"YWE-{swapped[:4]}-{swapped[4:]}-{number[-1]}"
            assert not issue_number_is_wellformed(typo)


@pytest.mark.parametrize(
    "value", ["", "YWE-2026-000123", "YWE-26-000123-K", "ABC-2026-000123-K", "YWE-2026-000000-0"]
)
def test_malformed(value: str) -> None:
    assert not issue_number_is_wellformed(value)
    assert parse_issue_number(value) is None


def test_the_verify_example_is_itself_well_formed() -> None:
    from bot.handlers.certificates import EXAMPLE_NUMBER

    assert issue_number_is_wellformed(EXAMPLE_NUMBER)
