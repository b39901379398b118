"""Korean particles (조사) chosen by the preceding word's final consonant (받침).

Locale texts write a particle as a marker — ``을(를)``, ``이(가)``, ``은(는)``, ``과(와)``,
``(으)로``, ``(이)나``, ``(이)라`` … — right after the word it attaches to (closing markup, quotes
and a parenthetical in between are skipped: ``<b>{program}</b>을(를)``, ``「{file}」을(를)``,
``신청(#{id})을(를)`` agrees with 신청). :func:`resolve` replaces each marker with the form the
preceding word takes, reading digits and Latin letters as Korean would (``#2를``, ``10으로``,
``PDF를``, ``Excel로``). A marker after something unreadable (an emoji, punctuation) is kept as
written, which is still correct Korean.

A small pure function rather than a library: the Python josa packages are young one-person
projects that do not read digits and Latin words, and the rules below are all we need.
"""

from __future__ import annotations

import re

# coda (받침) of the last syllable: None = no coda, "ㄹ" = the rieul coda, "c" = any other coda
Coda = str | None
_RIEUL = "ㄹ"
_OTHER = "c"

# marker → (after a coda, after no coda); (으)로 is special: ㄹ takes the no-coda form
_MARKERS: dict[str, tuple[str, str]] = {
    "을(를)": ("을", "를"),
    "를(을)": ("을", "를"),
    "이(가)": ("이", "가"),
    "가(이)": ("이", "가"),
    "은(는)": ("은", "는"),
    "는(은)": ("은", "는"),
    "과(와)": ("과", "와"),
    "와(과)": ("과", "와"),
    "(으)로": ("으로", "로"),
    "(이)나": ("이나", "나"),
    "(이)라": ("이라", "라"),
    "(이)며": ("이며", "며"),
    "(이)고": ("이고", "고"),
    "아(야)": ("아", "야"),
}
_MARKER_RE = re.compile("|".join(re.escape(m) for m in sorted(_MARKERS, key=len, reverse=True)))

# what is skipped between a word and its particle
_TAG_RE = re.compile(r"</?[a-zA-Z][^<>]*>$")
_CLOSERS = "」』’'\"”》〉]*_"
_OPENERS = {")": "(", "）": "（"}

# Sino-Korean digit readings: 영 일 이 삼 사 오 육 칠 팔 구
_DIGIT_CODA: dict[str, Coda] = {
    "0": _OTHER,
    "1": _RIEUL,
    "2": None,
    "3": _OTHER,
    "4": None,
    "5": None,
    "6": _OTHER,
    "7": _RIEUL,
    "8": _RIEUL,
    "9": None,
}
# Latin letters read by name (acronyms): 엘 엠 엔 알 have codas
_LETTER_CODA: dict[str, Coda] = {c: None for c in "abcdefghijkopqstuvwxyz"}
_LETTER_CODA.update({"l": _RIEUL, "r": _RIEUL, "m": _OTHER, "n": _OTHER})


def hangul_coda(char: str) -> Coda:
    """The coda of one Hangul syllable (가 → None, 갈 → ㄹ, 각 → other)."""
    index = (ord(char) - 0xAC00) % 28
    if index == 0:
        return None
    return _RIEUL if index == 8 else _OTHER


def _number_coda(digits: str) -> Coda:
    if digits[-1] != "0":
        return _DIGIT_CODA[digits[-1]]
    return _OTHER  # 영, or a number read by its last unit: 십 백 천 만 억 조 all end in a coda


def _word_coda(word: str) -> Coda:
    """An English word or acronym as Koreans read it (heuristic for words, names for acronyms)."""
    if (len(word) <= 4 and word.isupper()) or len(word) == 1:
        return _LETTER_CODA[word[-1].lower()]
    w = word.lower()
    if w.endswith(("l", "le")):
        return _RIEUL  # Excel 엑셀, file 파일
    if w.endswith(("m", "n", "ng", "me", "ne", "pe", "ke", "b", "ck", "k", "p", "t", "g")):
        return _OTHER  # form 폼, phone 폰, type 타입, web 웹, book 북, chat 챗
    return None  # data 데이터, code 코드, xlsx …스, survey 서베이


def coda_of(text: str) -> Coda | bool:
    """The coda of the word ``text`` ends with; False when it cannot be read."""
    end = len(text)
    while end > 0:
        tail = text[:end]
        tag = _TAG_RE.search(tail)
        if tag:
            end = tag.start()
            continue
        char = tail[-1]
        if char in _CLOSERS or char.isspace():
            end -= 1
            continue
        if char in _OPENERS:
            depth, i = 0, end - 1
            while i >= 0:
                if text[i] == char:
                    depth += 1
                elif text[i] == _OPENERS[char]:
                    depth -= 1
                    if depth == 0:
                        break
                i -= 1
            if i <= 0:
                return False
            end = i
            continue
        break
    if end == 0:
        return False
    char = text[end - 1]
    if "가" <= char <= "힣":
        return hangul_coda(char)
    if char.isdigit() and char.isascii():
        match = re.search(r"[0-9]+$", text[:end])
        assert match is not None
        return _number_coda(match.group())
    if char.isascii() and char.isalpha():
        match = re.search(r"[A-Za-z]+$", text[:end])
        assert match is not None
        return _word_coda(match.group())
    return False


def particle(word: str, marker: str) -> str:
    """The form of ``marker`` (``"을(를)"``) that follows ``word``; the marker if unreadable."""
    coda = coda_of(word)
    if coda is False:
        return marker
    with_coda, without = _MARKERS[marker]
    if marker == "(으)로" and coda == _RIEUL:
        return without
    return with_coda if coda is not None else without


def attach(word: str, marker: str) -> str:
    """``attach("본부", "(으)로") == "본부로"``."""
    return word + particle(word, marker)


def resolve(text: str) -> str:
    """Replace every particle marker in ``text`` by the form its preceding word takes."""
    if "(" not in text:
        return text

    def choose(match: re.Match[str]) -> str:
        before = text[: match.start()]
        if not before or before[-1].isspace():
            return match.group()  # a marker standing alone (e.g. in an explanation)
        return particle(before, match.group())

    return _MARKER_RE.sub(choose, text)
