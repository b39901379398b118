"""A report as files: the xlsx (sheets in the portal's terms, print-ready) and a one-page PDF
summary (key figures, the chart, the differences since the last confirmed report) with the
Korean font embedded (fpdf2, the font cut down to the characters used, as certificates do).

Reports are official Korean documents: their wording comes from the Korean catalogue whatever
language the reader chats in.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from bot.services.charts import FunnelChart
from bot.services.fonts import korean_fonts_for
from bot.services.xlsx_style import XLSX_MIME, Sheet, write_workbook
from bot.storage.queries.reports_data import Scope

KINDS = ("training", "program", "performance", "result")
PDF_MIME = "application/pdf"
Figure = int | float


@dataclass
class ReportDoc:
    """One report, ready to show and to write as files."""

    kind: str
    period: str  # the snapshot key: "2026-06-15" (as of), "week 2026-06-15", "month 2026-06"
    scope: Scope
    title: str  # e.g. 실적보고 · (사)청년일경험지원협회
    subtitle: str  # the period in words, and when it was made
    figures: dict[str, Figure]  # what a snapshot keeps, in display order
    labels: dict[str, str]  # figure key → its label
    sheets: list[Sheet]
    chart: FunnelChart
    notes: list[str] = field(default_factory=list)  # differences, open items, sign-off

    def figure_lines(self) -> list[str]:
        return [f"{self.labels[k]}: {_fmt(v)}" for k, v in self.figures.items()]


def _fmt(value: Figure) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


@dataclass(frozen=True)
class ReportFile:
    file_name: str
    content: bytes
    mime_type: str


def file_base(doc: ReportDoc, kind_name: str, scope_name: str) -> str:
    safe = "".join(
        ch if ch.isalnum() or ch in "()-" else "_" for ch in f"{kind_name}_{scope_name}"
    )
    return f"{safe}_{doc.period.replace(' ', '_')}".strip("_")


def xlsx_file(doc: ReportDoc, base: str) -> ReportFile:
    sheets = [Sheet(s.name, s.headers, s.rows, title=doc.title, number_formats=s.number_formats)
              for s in doc.sheets]  # fmt: skip
    return ReportFile(f"{base}.xlsx", write_workbook(sheets), XLSX_MIME)


def pdf_file(doc: ReportDoc, chart_png: bytes, base: str) -> ReportFile:
    return ReportFile(f"{base}.pdf", render_pdf(doc, chart_png), PDF_MIME)


def render_pdf(doc: ReportDoc, chart_png: bytes) -> bytes:
    """One A4 page: title, period, key figures in two columns, the chart, the notes."""
    lines = doc.figure_lines()
    used = "".join([doc.title, doc.subtitle, *lines, *doc.notes, "0123456789.,:%()→ -"])
    with korean_fonts_for(used, prefix="report-font-") as (regular, bold):
        return _draw(doc, lines, chart_png, regular, bold)


def _draw(doc: ReportDoc, lines: list[str], chart_png: bytes, regular: Path, bold: Path) -> bytes:
    from fpdf import FPDF  # imported on first use: keeps the bot's start-up fast

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(doc.title)
    pdf.set_creator("youth-work-bot")
    pdf.add_font("KR", "", str(regular))
    pdf.add_font("KR", "B", str(bold))
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_font("KR", "B", 16)
    pdf.set_xy(15, 14)
    pdf.multi_cell(180, 8, doc.title)
    pdf.set_font("KR", "", 10)
    pdf.set_x(15)
    pdf.multi_cell(180, 6, doc.subtitle)
    y = pdf.get_y() + 3
    pdf.set_draw_color(40, 70, 120)
    pdf.line(15, y, 195, y)
    y += 3
    half = (len(lines) + 1) // 2
    pdf.set_font("KR", "", 10)
    for index, line in enumerate(lines):
        column, row = divmod(index, half)
        pdf.set_xy(15 + column * 90, y + row * 6)
        pdf.cell(88, 6, line)
    y += half * 6 + 4
    from PIL import Image  # matplotlib's dependency: the picture's size for the layout

    with Image.open(io.BytesIO(chart_png)) as picture:
        width_px, height_px = picture.size
    room = 282 - y - 6 * min(len(doc.notes), 12) - 4
    width = min(180.0, room * width_px / height_px)
    pdf.image(io.BytesIO(chart_png), x=15 + (180 - width) / 2, y=y, w=width)
    y += width * height_px / width_px + 4
    pdf.set_font("KR", "", 9)
    for note in doc.notes[:12]:
        pdf.set_xy(15, y)
        pdf.cell(180, 6, note[:110])
        y += 6
    return bytes(pdf.output())
