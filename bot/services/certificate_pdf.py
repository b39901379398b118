"""The completion certificate (수료증) as a PDF, with the Korean font embedded (fpdf2).

The wording comes from the Korean locale catalog (``certpdf.*`` in
``locales/ko/certificates.toml``): a certificate is an official Korean document, whatever
language the participant chats in. Values are placed as plain text (no HTML), so nothing is
escaped here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from bot.i18n import DEFAULT_LANG, load_catalogs
from bot.services.fonts import korean_fonts_for

if TYPE_CHECKING:
    from fpdf import FPDF


@dataclass(frozen=True)
class CertificateData:
    issue_number: str
    name: str
    birth_date: date | None
    program: str
    agency: str
    period_start: date | None
    period_end: date | None
    hours: int | None
    issued_on: date
    verify_link: str | None = None  # t.me/<bot>?start=verify_<number>: printed and as a QR code


@cache
def _labels() -> dict[str, str]:
    catalog = load_catalogs()[DEFAULT_LANG]
    return {
        key[len("certpdf.") :]: value
        for key, value in catalog.items()
        if key.startswith("certpdf.")
    }


def _korean_date(value: date | None) -> str:
    if value is None:
        return "-"
    return _labels()["date"].format(y=value.year, m=value.month, d=value.day)


def _rows(data: CertificateData, labels: dict[str, str]) -> list[tuple[str, str]]:
    """The label/value rows; a value that is missing is left out (no "-" rows)."""
    rows: list[tuple[str, str | None]] = [
        (labels["name"], data.name if data.name and data.name != "-" else None),
        (labels["birth_date"], _korean_date(data.birth_date) if data.birth_date else None),
        (labels["program"], data.program or None),
        (labels["agency"], data.agency if data.agency and data.agency != "-" else None),
        (
            labels["period"],
            f"{_korean_date(data.period_start)} ~ {_korean_date(data.period_end)}"
            if data.period_start and data.period_end
            else None,
        ),
        (labels["hours"], labels["hours_value"].format(hours=data.hours) if data.hours else None),
    ]
    return [(label, value) for label, value in rows if value]


def render(data: CertificateData) -> bytes:
    labels = _labels()
    rows = _rows(data, labels)
    number_line = labels["number"].format(number=data.issue_number)
    if data.verify_link:
        verify_line = labels["verify_link"].format(number=data.issue_number, link=data.verify_link)
    else:
        verify_line = labels["verify"].format(number=data.issue_number)
    issued = _korean_date(data.issued_on)
    used = "".join(
        [number_line, labels["title"], labels["body"], issued, labels["issuer"], verify_line]
        + [labels["seal"]]
        + [f"{label}{value}" for label, value in rows]
    )
    with korean_fonts_for(used, prefix="cert-font-") as (regular, bold):
        return _draw(data, labels, rows, number_line, verify_line, issued, regular, bold)


def _qr(pdf: FPDF, link: str, x: float, y: float, size: float) -> None:
    """The link as a QR code drawn in vector squares (crisp at any zoom, no image library)."""
    import segno

    code = segno.make(link, error="m", micro=False)
    matrix = list(code.matrix_iter(scale=1, border=2))
    step = size / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for row, cells in enumerate(matrix):
        for col, dark in enumerate(cells):
            if dark:
                pdf.rect(x + col * step, y + row * step, step, step, style="F")


def _seal(pdf: FPDF, labels: dict[str, str], x: float, y: float) -> None:
    """Where the issuer's seal goes: a red circle with (직인)."""
    pdf.set_draw_color(190, 40, 40)
    pdf.set_text_color(190, 40, 40)
    pdf.set_line_width(0.6)
    pdf.ellipse(x, y, 24, 24)
    pdf.set_font("KR", "", 10)
    pdf.set_xy(x, y + 9)
    pdf.cell(24, 6, labels["seal"], align="C")
    pdf.set_text_color(0, 0, 0)


def _draw(
    data: CertificateData,
    labels: dict[str, str],
    rows: list[tuple[str, str]],
    number_line: str,
    verify_line: str,
    issued: str,
    regular: Path,
    bold: Path,
) -> bytes:
    from fpdf import FPDF  # imported on first use: keeps the bot's start-up fast

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(labels["title_meta"].format(number=data.issue_number))
    pdf.set_author(labels["issuer"])
    pdf.set_creator("youth-work-bot")
    pdf.add_font("KR", "", str(regular))
    pdf.add_font("KR", "B", str(bold))
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()

    # frame
    pdf.set_draw_color(40, 70, 120)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 190, 277)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, 184, 271)

    pdf.set_font("KR", "", 11)
    pdf.set_xy(22, 22)
    pdf.cell(0, 8, number_line)

    pdf.set_font("KR", "B", 34)
    pdf.set_xy(10, 50)
    pdf.cell(190, 20, labels["title"], align="C")

    y = 95.0
    for label, value in rows:
        pdf.set_font("KR", "B", 13)
        pdf.set_xy(30, y)
        pdf.cell(38, 10, label)
        pdf.set_font("KR", "", 13)
        pdf.set_xy(68, y)
        pdf.multi_cell(112, 8, value, align="L")  # long names wrap, never justified
        y = max(y + 12, pdf.get_y() + 4)

    pdf.set_font("KR", "", 14)
    pdf.set_xy(30, y + 14)
    pdf.multi_cell(150, 10, labels["body"], align="C")

    bottom = max(215.0, pdf.get_y() + 8)
    pdf.set_font("KR", "", 14)
    pdf.set_xy(10, bottom)
    pdf.cell(190, 10, issued, align="C")
    pdf.set_font("KR", "B", 18)
    pdf.set_xy(10, bottom + 17)
    pdf.cell(190, 12, labels["issuer"], align="C")
    _seal(pdf, labels, 160, bottom + 11)

    if data.verify_link:
        _qr(pdf, data.verify_link, 22, 245, 32)
    pdf.set_font("KR", "", 9)
    pdf.set_text_color(90, 90, 90)
    pdf.set_xy(58 if data.verify_link else 20, 262 if data.verify_link else 268)
    pdf.multi_cell(130 if data.verify_link else 170, 5, verify_line, align="L")
    return bytes(pdf.output())
