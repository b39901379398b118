"""Every xlsx the bot writes: Hangul-wide columns, header fill, autofilter, frozen header and
print titles — read back with openpyxl."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook

from bot.services.xlsx_style import Sheet, display_width, write_workbook


def test_display_width_counts_hangul_as_two_cells() -> None:
    assert display_width("운영기관") == 8
    assert display_width("ABC 12") == 6
    assert display_width("(사)청년") == 8
    assert display_width(date(2026, 3, 2)) == 10
    assert display_width(None) == 0
    assert display_width("한 줄\n두 번째 줄") == 10  # the widest line


def test_sheet_read_back_has_widths_fill_filter_freeze_and_print_titles() -> None:
    agency = "(사)청년일경험지원협회 서울지부"  # 14 Hangul (28 cells) + 3 narrow = 31 cells
    address = "서울특별시 중구 세종대로 39, 2층 강의장"
    content = write_workbook(
        [
            Sheet(
                "신청자",
                ["운영기관", "일경험수행주소", "신청번호", "신청일자", "=SUM(A1)"],
                [
                    [agency, address, 7, date(2026, 3, 2), "=HYPERLINK(1)"],
                    ["짧음", "", 8, None, ""],
                ],
                title="청년일경험 신청자 현황",
            )
        ]
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["신청자"]
    sheet = book["신청자"]
    widths = {c: sheet.column_dimensions[c].width for c in "ABCD"}
    assert widths["A"] == display_width(agency) + 2 == 33  # not len() + 2 = 19
    assert widths["B"] == display_width(address) + 2
    assert widths["C"] == display_width("신청번호") + 2 == 10
    assert widths["D"] == 12
    assert sheet["A1"].fill.fgColor.rgb.endswith("DDEBF7") and sheet["A1"].font.bold
    assert sheet.auto_filter.ref == "A1:E3"
    assert sheet.freeze_panes == "A2"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert "청년일경험 신청자 현황" in (sheet.oddHeader.center.text or "")
    assert sheet["E2"].value == "=HYPERLINK(1)" and sheet["E2"].data_type == "s"
    assert isinstance(sheet["D2"].value, datetime)  # a date cell, formatted as a date
    assert sheet["D2"].number_format == "yyyy-mm-dd"
