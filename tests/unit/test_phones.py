import pytest

from bot.domain.errors import DomainError
from bot.domain.identifiers import PhoneKind, classify_phone, require_direct_line, require_mobile


@pytest.mark.parametrize(
    ("raw", "kind", "formatted"),
    [
        ("010-1234-5678", PhoneKind.MOBILE, "010-1234-5678"),
        ("01012345678", PhoneKind.MOBILE, "010-1234-5678"),
        ("010 1234 5678", PhoneKind.MOBILE, "010-1234-5678"),
        ("010.1234.5678", PhoneKind.MOBILE, "010-1234-5678"),
        ("+82 10-1234-5678", PhoneKind.MOBILE, "010-1234-5678"),
        ("+82 (0)10 1234 5678", PhoneKind.MOBILE, "010-1234-5678"),
        ("82-10-1234-5678", PhoneKind.MOBILE, "010-1234-5678"),
        ("０１０－１２３４－５６７８", PhoneKind.MOBILE, "010-1234-5678"),
        ("011-123-4567", PhoneKind.MOBILE, "011-123-4567"),
        ("016-1234-5678", PhoneKind.MOBILE, "016-1234-5678"),
        ("017-123-4567", PhoneKind.MOBILE, "017-123-4567"),
        ("018-123-4567", PhoneKind.MOBILE, "018-123-4567"),
        ("019-1234-5678", PhoneKind.MOBILE, "019-1234-5678"),
        ("02-123-4567", PhoneKind.LANDLINE, "02-123-4567"),
        ("0212345678", PhoneKind.LANDLINE, "02-1234-5678"),
        ("(02) 1234-5678", PhoneKind.LANDLINE, "02-1234-5678"),
        ("+82-2-123-4567", PhoneKind.LANDLINE, "02-123-4567"),
        ("031-123-4567", PhoneKind.LANDLINE, "031-123-4567"),
        ("032-1234-5678", PhoneKind.LANDLINE, "032-1234-5678"),
        ("033-123-4567", PhoneKind.LANDLINE, "033-123-4567"),
        ("041-123-4567", PhoneKind.LANDLINE, "041-123-4567"),
        ("044-123-4567", PhoneKind.LANDLINE, "044-123-4567"),
        ("051-123-4567", PhoneKind.LANDLINE, "051-123-4567"),
        ("055-123-4567", PhoneKind.LANDLINE, "055-123-4567"),
        ("061-123-4567", PhoneKind.LANDLINE, "061-123-4567"),
        ("064-1234-5678", PhoneKind.LANDLINE, "064-1234-5678"),
        ("070-1234-5678", PhoneKind.INTERNET, "070-1234-5678"),
        ("0505-123-4567", PhoneKind.INTERNET, "0505-123-4567"),
        ("050712345678", PhoneKind.INTERNET, "0507-1234-5678"),
        ("080-123-4567", PhoneKind.INTERNET, "080-123-4567"),
        ("1588-1234", PhoneKind.REPRESENTATIVE, "1588-1234"),
        ("16441234", PhoneKind.REPRESENTATIVE, "1644-1234"),
        ("1899-0000", PhoneKind.REPRESENTATIVE, "1899-0000"),
    ],
)
def test_classify_phone(raw: str, kind: PhoneKind, formatted: str) -> None:
    phone = classify_phone(raw)
    assert phone.kind is kind
    assert phone.formatted == formatted
    assert str(phone) == formatted
    assert phone.digits == formatted.replace("-", "")


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "010-123-4567",  # 010 always has an 8-digit subscriber part
        "010-1234-56789",
        "012-1234-5678",  # 012 is not a mobile prefix
        "02-12-3456",
        "02-0123-4567",  # subscriber numbers never start with 0
        "034-123-4567",  # no such area code
        "045-123-4567",
        "056-123-4567",
        "065-123-4567",
        "060-123-4567",
        "090-123-4567",
        "0501-12-3456",
        "1588-123",
        "1588-12345",
        "1488-1234",
        "1788-1234",
        "1234-5678",
        "010-1234-567a",
        "phone",
    ],
)
def test_malformed_phone(raw: str) -> None:
    with pytest.raises(DomainError) as exc:
        classify_phone(raw)
    assert exc.value.code == "phone.format"
    assert exc.value.params == {"example": "010-1234-5678"}


def test_require_mobile_accepts_mobile() -> None:
    assert require_mobile("01098765432").formatted == "010-9876-5432"


@pytest.mark.parametrize(
    ("raw", "kind"),
    [("02-123-4567", "landline"), ("070-1234-5678", "internet"), ("1588-1234", "representative")],
)
def test_require_mobile_refuses_landline_with_example(raw: str, kind: str) -> None:
    with pytest.raises(DomainError) as exc:
        require_mobile(raw)
    assert exc.value.code == "phone.not_mobile"
    assert exc.value.params == {"example": "010-1234-5678", "kind": kind}


def test_require_mobile_malformed_is_format_error() -> None:
    with pytest.raises(DomainError) as exc:
        require_mobile("010-12")
    assert exc.value.code == "phone.format"


@pytest.mark.parametrize("raw", ["02-123-4567", "031-1234-5678", "070-1234-5678", "1588-1234"])
def test_require_direct_line_accepts_non_mobile(raw: str) -> None:
    assert require_direct_line(raw).kind is not PhoneKind.MOBILE


def test_require_direct_line_refuses_mobile() -> None:
    with pytest.raises(DomainError) as exc:
        require_direct_line("010-1234-5678")
    assert exc.value.code == "phone.mobile_not_allowed"
    assert exc.value.params == {"example": "02-1234-5678"}


def test_require_direct_line_malformed_shows_a_landline_example() -> None:
    with pytest.raises(DomainError) as exc:
        require_direct_line("02-12")
    assert exc.value.code == "phone.format"
    assert exc.value.params == {"example": "02-1234-5678"}
