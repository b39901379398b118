"""The certificate PDF: Korean text in an embedded font, extractable; names masked for /verify."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from pypdf import PdfReader

from bot.domain.certificates import make_issue_number
from bot.services.certificate_pdf import CertificateData, render
from bot.services.certificates import mask_name, total_hours


def test_pdf_carries_the_fields_in_korean() -> None:
    number = make_issue_number(2026, 42)
    pdf = render(
        CertificateData(
            issue_number=number,
            name="남궁민수",
            birth_date=date(1999, 12, 31),
            program="IT 사무지원 인턴형 일경험",
            agency="(사)청년일경험지원협회",
            period_start=date(2026, 3, 2),
            period_end=date(2026, 4, 26),
            hours=200,
            issued_on=date(2026, 5, 4),
        )
    )
    reader = PdfReader(BytesIO(pdf))
    text = reader.pages[0].extract_text()
    for expected in (
        "수 료 증",
        "남궁민수",
        "1999년 12월 31일",
        "IT 사무지원 인턴형 일경험",
        "(사)청년일경험지원협회",
        "2026년 3월 2일 ~ 2026년 4월 26일",
        "총 200시간",
        "2026년 5월 4일",
        number,
    ):
        assert expected in text, expected
    fonts = {
        str(font.get_object()["/BaseFont"])
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert any("Nanum" in name or "CJK" in name or "Gothic" in name for name in fonts), fonts
    assert len(reader.pages) == 1


def test_hours_and_masked_names() -> None:
    assert total_hours(25, date(2026, 3, 2), date(2026, 4, 26)) == 200  # 8 weeks
    assert total_hours(20, date(2026, 3, 2), date(2026, 3, 10)) == 40  # a started week counts
    assert total_hours(None, date(2026, 3, 2), date(2026, 3, 10)) is None
    assert [mask_name(n) for n in ("홍길동", "김수", "남궁민수", "이")] == [
        "홍*동",
        "김*",
        "남**수",
        "이",
    ]
