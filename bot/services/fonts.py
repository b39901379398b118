"""Finding a Korean font for generated PDFs (certificates, reports) and charts, and cutting it
down to the characters a document uses (``subset_font``, ``korean_fonts_for``).

Debian's ``fonts-nanum`` (installed by the Makefile, .ci/run and the Dockerfile) or Noto CJK.
``KOREAN_FONT`` (a path to a .ttf/.otf) overrides the search.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
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

# Tables a plain left-to-right document does not need (kerning alone takes ~0.5 s to read).
DROP_TABLES = [
    "kern",
    "GPOS",
    "GSUB",
    "GDEF",
    "hdmx",
    "VDMX",
    "LTSH",
    "vhea",
    "vmtx",
    "DSIG",
    "TSI0",
    "TSI1",
    "TSI2",
    "TSI3",
    "TSI5",
]

# fontTools reports every table it does not subset (harmless, and noisy in the logs).
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


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


def subset_font(path: Path, text: str, out_dir: Path) -> Path:
    """The font cut down to the characters of ``text``.

    fpdf2 parses the whole font (20,000 glyphs for Nanum Gothic, ~1 s each) before it subsets it
    itself; cutting it down first with fontTools takes a fraction of that.
    """
    from fontTools import subset  # imported on first use: keeps the bot's start-up fast
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True, fontNumber=0 if path.suffix.lower() == ".ttc" else -1)
    options = subset.Options()
    options.notdef_outline = True
    options.layout_features = []
    options.hinting = False
    options.name_IDs = ["*"]
    options.drop_tables += DROP_TABLES
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    target = out_dir / f"{path.stem}-{len(list(out_dir.iterdir()))}.ttf"
    font.save(str(target))
    return target


@contextmanager
def korean_fonts_for(text: str, prefix: str = "font-") -> Iterator[tuple[Path, Path]]:
    """The regular and bold Korean fonts cut down to ``text`` (files gone after the block)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        out = Path(tmp)
        yield (
            subset_font(korean_font_path(), text, out),
            subset_font(korean_bold_font_path(), text, out),
        )
