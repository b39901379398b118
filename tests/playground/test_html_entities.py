"""Telegram's HTML parse_mode: entities and the exact error messages."""

from __future__ import annotations

import pytest

from bot.playground.html_entities import EntityParseError, parse_html, trim_text, utf16_len


def test_entities_use_utf16_offsets() -> None:
    text, entities = parse_html("😀 <b>가나</b> <i>x</i>")
    assert text == "😀 가나 x"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 2},
        {"type": "italic", "offset": 6, "length": 1},
    ]
    assert utf16_len(text) == 7


def test_pre_code_language_spoiler_blockquote_and_links() -> None:
    text, entities = parse_html(
        '<pre><code class="language-python">x</code></pre><span class="tg-spoiler">s</span>'
        '<blockquote expandable>q</blockquote><a href="tg://user?id=1">u</a><code>c</code>'
    )
    assert text == "xsquc"
    assert entities == [
        {"type": "pre", "offset": 0, "length": 1, "language": "python"},
        {"type": "spoiler", "offset": 1, "length": 1},
        {"type": "expandable_blockquote", "offset": 2, "length": 1},
        {"type": "text_link", "offset": 3, "length": 1, "url": "tg://user?id=1"},
        {"type": "code", "offset": 4, "length": 1},
    ]


def test_character_entities() -> None:
    assert parse_html("&lt;&gt;&amp;&quot;&#44032;&#xAC00;")[0] == '<>&"가가'
    assert parse_html("a & b", strict_ampersand=False)[0] == "a & b"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a <foo>", 'Unsupported start tag "foo" at byte offset 2'),
        ("가 < 나", 'Unsupported start tag "" at byte offset 4'),
        ("끝 <", "Unclosed start tag at byte offset 4"),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<a href=x/y>z</a>", "Unexpected end of name token at byte offset 8"),
        ("a & b", "Character entity expected at byte offset 2"),
        ("&amp", "Character entity expected at byte offset 0"),
    ],
)
def test_errors_match_telegram(source: str, message: str) -> None:
    with pytest.raises(EntityParseError) as error:
        parse_html(source)
    assert str(error.value) == message


def test_trim_like_telegram() -> None:
    text, entities = trim_text("\n  가나 \n", [{"type": "bold", "offset": 0, "length": 6}])
    assert text == "가나" and entities == [{"type": "bold", "offset": 0, "length": 2}]
