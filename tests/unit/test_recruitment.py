import pytest

from bot.domain.errors import DomainError
from bot.domain.recruitment import check_company_capacity, check_headcounts, remaining_capacity


def test_headcounts_that_add_up() -> None:
    check_headcounts(10, {"A사": 4, "B사": 6})
    check_headcounts(3, {"기획": 3, "디자인": 0})


@pytest.mark.parametrize(
    ("total", "parts", "parts_sum", "diff"),
    [(10, {"A": 4, "B": 5}, 9, 1), (10, {"A": 6, "B": 6}, 12, -2), (5, {}, 0, 5)],
)
def test_sum_mismatch(total: int, parts: dict[str, int], parts_sum: int, diff: int) -> None:
    with pytest.raises(DomainError) as exc:
        check_headcounts(total, parts)
    assert exc.value.code == "recruit.sum_mismatch"
    assert exc.value.params == {"total": total, "sum": parts_sum, "diff": diff}


def test_negative_or_zero_counts() -> None:
    with pytest.raises(DomainError) as exc:
        check_headcounts(0, {})
    assert exc.value.code == "recruit.bad_count"
    assert exc.value.params == {"name": "total", "value": 0}
    with pytest.raises(DomainError) as exc:
        check_headcounts(2, {"A": 3, "B": -1})
    assert exc.value.params == {"name": "B", "value": -1}


def test_remaining_capacity() -> None:
    assert remaining_capacity(5, 2) == 3
    assert remaining_capacity(5, 5) == 0
    assert remaining_capacity(5, 7) == 0


def test_company_capacity() -> None:
    assert check_company_capacity(3, 2) == 0
    assert check_company_capacity(5, 1, adding=2) == 2
    with pytest.raises(DomainError) as exc:
        check_company_capacity(3, 3)
    assert exc.value.code == "recruit.company_full"
    assert exc.value.params == {"headcount": 3, "assigned": 3}
    with pytest.raises(DomainError):
        check_company_capacity(5, 4, adding=2)
