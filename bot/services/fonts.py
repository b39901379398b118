"""Finding a Korean font for generated PDFs (certificates) and charts.

Debian's ``fonts-nanum`` (installed by the Makefile, .ci/run and the Dockerfile) or Noto CJK.
``KOREAN_FONT`` (a path to a .ttf/.otf) overrides the search.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

CANDIDATES = (
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/Library/Fonts/AppleGothic.ttf",
    "/System/Library/Fonts/AppleSDGothicNeo.ttc",
)
BOLD_CANDIDATES = (
    "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf",
    "/usr/share/fonts/truetype/nanum/NanumBarunGothicBold.ttf",
)


class FontMissing(RuntimeError):
    """No Korean font is installed (install Debian's fonts-nanum or set KOREAN_FONT)."""


@cache
def korean_font_path() -> Path:
    override = os.environ.get("KOREAN_FONT")
    for candidate in ([override] if override else []) + list(CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    for root in ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts")):
        for path in Path(root).rglob("*anum*othic*.ttf") if Path(root).is_dir() else ():
            return path
    raise FontMissing("no Korean font found: install fonts-nanum or set KOREAN_FONT")


@cache
def korean_bold_font_path() -> Path:
    for candidate in BOLD_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    return korean_font_path()
