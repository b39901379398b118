"""Every ``t("key", …)`` in the source passes the parameters its Korean text needs.

A missing one is only logged at run time ("translation … misses a parameter") and the person gets
a broken text; the fuzz tier found one (a button label whose text gained ``{name}`` while a caller
kept passing nothing). Calls with ``**params`` or a computed key are not checked here.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

from bot.i18n import load_catalogs

ROOT = Path(__file__).resolve().parents[2] / "bot"
NAMES = {"t", "official"}


def _is_texts(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in NAMES
    return isinstance(func, ast.Attribute) and func.attr == "t"


def _needed(text: str) -> set[str]:
    return {
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in string.Formatter().parse(text)
        if name
    }


def test_every_literal_key_gets_its_parameters() -> None:
    korean = load_catalogs()["ko"]
    checked = 0
    problems = []
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and _is_texts(node.func) and node.args):
                continue
            key = node.args[0]
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                continue
            if any(k.arg is None for k in node.keywords) or key.value not in korean:
                continue
            given = {k.arg for k in node.keywords}
            missing = _needed(korean[key.value]) - given
            checked += 1
            if missing:
                where = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
                problems.append(f"{where} {key.value} misses {sorted(missing)}")
    assert checked > 300
    assert problems == []
