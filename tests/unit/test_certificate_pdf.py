"""The certificate PDF: Korean text in an embedded font, extractable; names masked for /verify."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from pypdf import PdfReader

from bot.domain.certificates import make_issue_number
from bot.services.certificate_pdf import CertificateData, render
from bot.services.certificates import mask_name, total_hours
from tests.qr import qr_texts


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


def test_the_qr_code_decodes_to_the_verify_link() -> None:
    number = make_issue_number(2026, 7)
    link = f"https://t.me/youth_work_bot?start=verify_{number}"
    pdf = render(
        CertificateData(
            issue_number=number,
            name="김청년",
            birth_date=None,  # missing values are left out, not printed as "-"
            program="IT 사무지원 인턴형 일경험",
            agency="(사)청년일경험지원협회",
            period_start=date(2026, 3, 2),
            period_end=date(2026, 4, 26),
            hours=None,
            issued_on=date(2026, 5, 4),
            verify_link=link,
        )
    )
    assert qr_texts(pdf) == [link]
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert link in text.replace("\n", "") and "(직인)" in text
    assert "생 년 월 일" not in text and "참 여 시 간" not in text and "-\n" not in text


def test_long_names_wrap_on_one_page() -> None:
    long_program = "지역사회 상생협력 기반 청년 디지털 전환 역량강화 프로젝트형 일경험 " * 3
    pdf = render(
        CertificateData(
            issue_number=make_issue_number(2026, 8),
            name="남궁민수",
            birth_date=date(1999, 12, 31),
            program=long_program.strip(),
            agency="사단법인 청년일경험지원협회 부산광역시 해운대구 지부 " * 2,
            period_start=date(2026, 3, 2),
            period_end=date(2026, 4, 26),
            hours=200,
            issued_on=date(2026, 5, 4),
            verify_link="https://t.me/youth_work_bot?start=verify_X",
        )
    )
    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "역량강화" in text and "해운대구" in text
