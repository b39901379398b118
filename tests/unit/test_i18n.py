"""Locale catalogs: load without duplicates; English keys exist in Korean; parameters escaped."""

from __future__ import annotations

import re

from bot.i18n import Raw, Translator, load_catalogs


def test_catalogs_load_and_english_is_a_subset() -> None:
    catalogs = load_catalogs()
    assert catalogs["ko"]
    assert set(catalogs["en"]) <= set(catalogs["ko"])


def test_placeholders_match_between_languages() -> None:
    catalogs = load_catalogs()
    field = re.compile(r"\{(\w+)\}")
    for key, text in catalogs["en"].items():
        assert set(field.findall(text)) <= set(field.findall(catalogs["ko"][key])), key


def test_parameters_are_html_escaped_unless_raw() -> None:
    t = Translator().bind("ko")
    assert "&lt;b&gt;" in t("start.participant", name="<b>")
    assert "<b>" in t("start.participant", name=Raw("<b>"))


def test_times_are_shown_in_seoul_time() -> None:
    from datetime import UTC, datetime

    t = Translator().bind("ko")
    assert t.date(datetime(2026, 3, 2, 0, 30, tzinfo=UTC)) == "2026-03-02 09:30"
    assert t.date(datetime(2026, 3, 2, 0, 30)) == "2026-03-02 09:30"  # naive = UTC as stored


def test_every_text_is_valid_telegram_html() -> None:
    """Texts go out with parse_mode=HTML: a bare ``<`` (``/history <id>``) makes Telegram refuse
    the message (found by the fuzz tier). Parameters are escaped centrally; templates must
    parse."""
    from bot.playground.html_entities import parse_html

    for lang, catalog in load_catalogs().items():
        for key, text in catalog.items():
            try:
                parse_html(re.sub(r"\{[^{}]*\}", "x", text), strict_ampersand=True)
            except Exception as error:
                raise AssertionError(f"{lang} {key}: {error}") from None
