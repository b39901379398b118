import unicodedata

import pytest

from bot.domain.errors import DomainError
from bot.domain.text import (
    byte_length,
    check_byte_limit,
    check_char_limit,
    require_text,
)


def test_byte_length_utf8() -> None:
    assert byte_length("abc") == 3
    assert byte_length("한글") == 6
    assert byte_length("한글", "utf-8") == 6
    assert byte_length("😀") == 4
    assert byte_length("") == 0


def test_byte_length_cp949() -> None:
    assert byte_length("abc", "cp949") == 3
    assert byte_length("한글", "cp949") == 4
    assert byte_length("漢字", "cp949") == 4  # common Hanja are in CP949


def test_cp949_unencodable_characters_count_two_bytes() -> None:
    assert byte_length("😀", "cp949") == 2
    assert byte_length("a😀한", "cp949") == 1 + 2 + 2
    assert byte_length("똠방각하", "cp949") == 8  # 똠 is outside KS X 1001 but in CP949


def test_unknown_mode_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="mode"):
        byte_length("x", "euc-kr")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("mode", "exact", "one_over"),
    [
        ("utf-8", "가" * 500, "가" * 500 + "a"),
        ("cp949", "가" * 750, "가" * 750 + "a"),
    ],
)
def test_1500_bytes_pass_and_1501_fail(mode: str, exact: str, one_over: str) -> None:
    assert check_byte_limit(exact, 1500, mode) == 1500  # type: ignore[arg-type]
    with pytest.raises(DomainError) as exc:
        check_byte_limit(one_over, 1500, mode)  # type: ignore[arg-type]
    assert exc.value.code == "text.too_many_bytes"
    assert exc.value.params == {"used": 1501, "limit": 1500, "mode": mode}


def test_same_text_differs_between_modes() -> None:
    text = "가" * 600  # 1,800 bytes in UTF-8, 1,200 in CP949
    assert check_byte_limit(text, 1500, "cp949") == 1200
    with pytest.raises(DomainError):
        check_byte_limit(text, 1500)


def test_check_char_limit() -> None:
    assert check_char_limit("가나다", 3) == 3
    with pytest.raises(DomainError) as exc:
        check_char_limit("가나다라", 3)
    assert exc.value.code == "text.too_long"
    assert exc.value.params == {"used": 4, "limit": 3}


def test_require_text_trims_and_composes() -> None:
    decomposed = unicodedata.normalize("NFD", "한글")
    assert len(decomposed) == 6
    assert require_text(f"  {decomposed}\n") == "한글"
    assert byte_length(require_text(decomposed)) == 6


@pytest.mark.parametrize("raw", ["", "   ", "\n\t", None])
def test_require_text_empty(raw: str | None) -> None:
    with pytest.raises(DomainError) as exc:
        require_text(raw)
    assert exc.value.code == "text.empty"


def test_require_text_min_len() -> None:
    assert require_text("열 글자가 넘는 자기소개", min_len=10)
    with pytest.raises(DomainError) as exc:
        require_text(" 짧음 ", min_len=10)
    assert exc.value.code == "text.too_short"
    assert exc.value.params == {"used": 2, "min": 10}


def test_control_characters_are_dropped_but_line_breaks_kept() -> None:
    from bot.domain.text import require_text, strip_controls

    assert strip_controls("a\x00b\x07c\td\ne\x7f") == "abc\td\ne"
    assert require_text(" \x00사유\x00 ") == "사유"
