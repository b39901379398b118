from datetime import date

import pytest

from bot.domain.errors import DomainError
from bot.domain.identifiers import (
    ResidentNumber,
    brn_is_valid,
    format_brn,
    mask_rrn,
    normalize_brn,
    normalize_email,
    parse_rrn,
    rrn_legacy_checksum_ok,
)

TODAY = date(2026, 3, 2)


def _code(exc: pytest.ExceptionInfo[DomainError]) -> str:
    return exc.value.code


# --- 사업자등록번호 ---------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["120-81-47521", "220-81-62517", "1208147521", " 120 81 47521 "])
def test_brn_valid(raw: str) -> None:
    assert brn_is_valid(raw)
    assert len(normalize_brn(raw)) == 10


def test_brn_full_width_digits() -> None:
    assert normalize_brn("１２０－８１－４７５２１") == "1208147521"


def test_brn_checksum_failure() -> None:
    assert not brn_is_valid("120-81-47522")
    with pytest.raises(DomainError) as exc:
        normalize_brn("120-81-47522")
    assert _code(exc) == "brn.checksum"
    assert exc.value.params["example"] == "123-45-67890"


@pytest.mark.parametrize(
    "raw", ["", "120-81-4752", "120-81-475211", "12a-81-47521", "120/81/47521"]
)
def test_brn_format(raw: str) -> None:
    with pytest.raises(DomainError) as exc:
        normalize_brn(raw)
    assert _code(exc) == "brn.format"
    assert not brn_is_valid(raw)


def test_format_brn() -> None:
    assert format_brn("2208162517") == "220-81-62517"
    assert format_brn("220 81 62517") == "220-81-62517"


def test_brn_check_digit_uses_floor_of_ninth_digit_times_five() -> None:
    # d9 = 9 contributes 9*5 + floor(45/10) = 49; the check digit must account for the carry.
    digits = "123456789"
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) + 9 * 5 // 10
    check = (10 - total % 10) % 10
    assert brn_is_valid(digits + str(check))
    assert not brn_is_valid(digits + str((check + 1) % 10))


# --- 주민등록번호 -----------------------------------------------------------------------------


def _with_legacy_check(first12: str, *, valid: bool = True) -> str:
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    check = (11 - sum(int(c) * w for c, w in zip(first12, weights, strict=True)) % 11) % 10
    return first12 + str(check if valid else (check + 1) % 10)


def test_parse_rrn_valid_legacy_checksum() -> None:
    digits = _with_legacy_check("900101123456")
    rrn = parse_rrn(f"{digits[:6]}-{digits[6:]}", today=TODAY)
    assert rrn.digits == digits
    assert rrn.birth_date == date(1990, 1, 1)
    assert rrn.gender_digit == "1"
    assert rrn.is_male
    assert not rrn.is_foreigner
    assert rrn.legacy_checksum_ok


def test_failed_legacy_checksum_is_recorded_never_rejected() -> None:
    digits = _with_legacy_check("040229412345", valid=False)  # post-2020 style random tail
    rrn = parse_rrn(digits, today=TODAY)
    assert rrn.legacy_checksum_ok is False
    assert rrn.birth_date == date(2004, 2, 29)
    assert not rrn.is_male
    assert not rrn_legacy_checksum_ok(digits)


@pytest.mark.parametrize(
    ("g", "year", "foreigner"),
    [
        ("1", 1985, False),
        ("2", 1985, False),
        ("3", 2085, False),
        ("4", 2085, False),
        ("5", 1985, True),
        ("6", 1985, True),
        ("7", 2085, True),
        ("8", 2085, True),
        ("9", 1885, False),
        ("0", 1885, False),
    ],
)
def test_century_and_foreigner_digit(g: str, year: int, foreigner: bool) -> None:
    far_future = date(2100, 1, 1)
    rrn = parse_rrn(f"850315-{g}123456", today=far_future)
    assert rrn.birth_date == date(year, 3, 15)
    assert rrn.is_foreigner is foreigner
    assert rrn.gender_digit == g


@pytest.mark.parametrize(
    "raw", ["", "900101-123456", "900101-12345678", "9001011234567X", "900101_1234567", "900101"]
)
def test_rrn_format(raw: str) -> None:
    with pytest.raises(DomainError) as exc:
        parse_rrn(raw, today=TODAY)
    assert _code(exc) == "rrn.format"
    assert exc.value.params == {"example": "900101-1234567"}


@pytest.mark.parametrize(
    "raw", ["900230-1234567", "901301-1234567", "900100-2234567", "010229-3234567"]
)
def test_rrn_impossible_date(raw: str) -> None:
    with pytest.raises(DomainError) as exc:
        parse_rrn(raw, today=TODAY)
    assert _code(exc) == "rrn.date"
    assert raw[7:] not in str(exc.value)


def test_rrn_leap_day_is_real_in_leap_years() -> None:
    assert parse_rrn("000229-3234567", today=TODAY).birth_date == date(2000, 2, 29)


def test_rrn_future_birth_date() -> None:
    with pytest.raises(DomainError) as exc:
        parse_rrn("260303-3234567", today=TODAY)
    assert _code(exc) == "rrn.future"
    assert parse_rrn("260302-3234567", today=TODAY).birth_date == TODAY


def test_mask_rrn() -> None:
    assert mask_rrn("9001011234567") == "900101-1******"
    assert mask_rrn("900101-2234567") == "900101-2******"
    with pytest.raises(DomainError) as exc:
        mask_rrn("900101-1******")
    assert _code(exc) == "rrn.format"


def test_resident_number_never_shows_its_tail() -> None:
    rrn = parse_rrn("900101-1987654", today=TODAY)
    tail = "987654"
    for shown in (repr(rrn), str(rrn), f"{rrn}", f"{rrn!r}", repr([rrn]), repr({"r": rrn})):
        assert tail not in shown
        assert "900101-1******" in shown
    assert rrn.masked == "900101-1******"
    assert isinstance(rrn, ResidentNumber)


# --- e-mail ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Kim.Minsu@Example.COM", "Kim.Minsu@example.com"),
        ("  staff+ywe@agency.or.kr ", "staff+ywe@agency.or.kr"),
        ("a_b-c@sub-domain.co.kr", "a_b-c@sub-domain.co.kr"),
        ("ｔｅｓｔ＠ｎａｖｅｒ．ｃｏｍ", "test@naver.com"),
    ],
)
def test_normalize_email(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "no-at-sign",
        "@example.com",
        "name@",
        "name@localhost",
        "name@example.c",
        "name@-example.com",
        "name@example-.com",
        "name@exa_mple.com",
        "na..me@example.com",
        ".name@example.com",
        "name.@example.com",
        "na me@example.com",
        "이름@example.com",
        "name@example..com",
        "name@123.456",
        "a" * 65 + "@example.com",
        "a@" + "b" * 250 + ".com",
    ],
)
def test_email_format(raw: str) -> None:
    with pytest.raises(DomainError) as exc:
        normalize_email(raw)
    assert _code(exc) == "email.format"
    assert exc.value.params == {"example": "name@example.com"}
