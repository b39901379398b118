"""Every xlsx the bot makes, written and styled one way: print-ready sheets with Hangul-wide
columns.

- **Column widths by East Asian width**: Hangul, CJK and full-width characters take two cells
  (``unicodedata.east_asian_width`` W/F), Latin letters and digits one, so 운영기관 gets ~22
  where a character count gave 14. Dates and times get their printed width.
- **Header**: bold on a light fill, centred, wrapped; the header row is **frozen** and repeated on
  every printed page (**print titles**); an **autofilter** spans the table.
- **Print**: landscape, fitted to one page wide, a centred title in the page header.

Text that would start a formula stays text (CSV/formula injection): the caller's ``_safe``
values are written as strings, never as formulas.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

HEADER_FILL = "DDEBF7"  # light blue, prints well in grey too
MIN_WIDTH, MAX_WIDTH = 8, 60
SAMPLE_ROWS = 500  # widths are measured on the first rows (a 50,000-row sheet stays fast)
SHEET_NAME_MAX = 31
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def display_width(value: Any) -> int:
    """How many character cells ``value`` takes in a spreadsheet column (Hangul = 2)."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16  # yyyy-mm-dd hh:mm
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        value = f"{value:,.1f}"
    text = str(value)
    widest = 0
    for line in text.splitlines() or [""]:
        widest = max(
            widest,
            sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line),
        )
    return widest


def column_width(header: str, values: Sequence[Any]) -> float:
    """The width (in Excel's character units) for a column: the widest cell plus padding."""
    widest = max([display_width(header)] + [display_width(v) for v in values[:SAMPLE_ROWS]])
    return float(min(MAX_WIDTH, max(MIN_WIDTH, widest + 2)))


@dataclass(frozen=True)
class Sheet:
    """One sheet: a title (also printed in the page header), the header row and the rows."""

    name: str
    headers: list[str]
    rows: list[list[Any]]
    title: str = ""
    number_formats: dict[int, str] = field(default_factory=dict)  # column index → format


def write_workbook(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as one xlsx file, each styled by :func:`style_sheet`."""
    from openpyxl import Workbook  # imported on first use: keeps the bot's start-up light

    book = Workbook()
    book.remove(book.active)
    for spec in sheets:
        sheet = book.create_sheet(spec.name[:SHEET_NAME_MAX])
        sheet.append(spec.headers)
        for row in spec.rows:
            sheet.append([None if v == "" else v for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.data_type == "f":
                    cell.data_type = "s"  # text that looks like a formula stays text
                elif isinstance(cell.value, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                elif cell.column - 1 in spec.number_formats:
                    cell.number_format = spec.number_formats[cell.column - 1]
        style_sheet(sheet, spec.headers, spec.rows, spec.title or spec.name)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def style_sheet(
    sheet: Any, headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str
) -> None:
    """Widths, header fill, frozen header, autofilter, print titles and page set-up."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    fill = PatternFill(fill_type="solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for index, header in enumerate(headers):
        values = [row[index] if index < len(row) else None for row in rows[:SAMPLE_ROWS]]
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = column_width(header, values)
    if headers:
        last = get_column_letter(len(headers))
        sheet.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    sheet.oddHeader.center.text = title.replace("&", "&&")
    sheet.oddFooter.center.text = "&P / &N"
