"""The weekly funnel chart: a PNG whose Korean labels use a Korean font (no missing glyphs)."""

from __future__ import annotations

import io
import warnings

from matplotlib import image

from bot.services.charts import FunnelRow, funnel_png

STAGES = ("신청", "인증", "선발", "수료")


def test_funnel_chart_renders_hangul_without_missing_glyphs() -> None:
    rows = [
        FunnelRow("IT 사무지원 인턴형 일경험", (7, 4, 3, 1)),
        FunnelRow("지역 ESG 데이터 프로젝트형 일경험", (2, 1, 0, 0)),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" would fail here
        png = funnel_png("(사)청년일경험지원협회 · 2026-01-05 주", STAGES, rows, "없음")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    pixels = image.imread(io.BytesIO(png))
    assert pixels.shape[1] > 600 and pixels.shape[0] > 200


def test_an_agency_without_programs_still_gets_a_picture() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = funnel_png("주간 현황", STAGES, [], "진행 중인 프로그램이 없습니다.")
    assert png.startswith(b"\x89PNG")
