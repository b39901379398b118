"""The staff screens' views are pure (data in, text and buttons out): which buttons a card offers
in which state, and that toggles, pages and the locked roster show as they should."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from aiogram.types import InlineKeyboardMarkup

from bot.handlers import progress_views, selection_views
from bot.handlers.selection_views import SelectScreen
from bot.i18n import Translator
from bot.keyboards.selection import SelPageCB
from bot.services.enrollment import RosterRow
from bot.services.selection import ApplicantCard, PoolRow, ProgramSummary

T = Translator().bind("ko")
SUMMARY = ProgramSummary(
    id=7,
    name="IT 사무지원",
    type="intern",
    agency_name="기관",
    total_recruitment=5,
    period_start=date(2026, 3, 1),
    period_end=date(2026, 6, 30),
    weekly_hours=20,
    roster_locked_at=None,
    waiting=2,
    selected=1,
    not_selected=0,
    completed=0,
    dropped=0,
)
LOCKED = replace(SUMMARY, roster_locked_at=datetime(2026, 3, 2, tzinfo=UTC))


def _labels(markup: InlineKeyboardMarkup) -> list[list[str]]:
    return [[b.text for b in row] for row in markup.inline_keyboard]


def _pool_row(aid: int, state: str = "certified", nes: bool | None = None) -> PoolRow:
    return PoolRow(aid, f"사람{aid}", date(2001, 3, 15), state, nes, ())


def _card(state: str, summary: ProgramSummary = SUMMARY) -> list[list[str]]:
    card = ApplicantCard(_pool_row(11, state, nes=True), date(2026, 2, 1), None, "안녕", "online")
    back = SelPageCB(pid=7, tab="waiting", page=0)
    _, markup = selection_views.card_screen(T, summary, card, back)
    return _labels(markup)


def test_a_card_offers_the_decisions_its_state_allows() -> None:
    back = [T("selection.back_to_list")]
    nes = ["✓ " + T("selection.nes_yes_button"), T("selection.nes_no_button")]
    decide = [T("selection.select_button"), T("selection.not_select_button")]
    assert _card("certified") == [nes, decide, back]
    assert _card("selected") == [nes, [T("selection.unselect_button")], back]
    assert _card("not_selected") == [nes, [T("selection.unselect_button")], back]
    assert _card("withdrawn") == [nes, back]
    assert _card("selected", LOCKED) == [back]


def test_the_pool_shows_toggles_pages_and_bulk_actions_until_the_roster_is_locked() -> None:
    chunk = [_pool_row(11), _pool_row(12)]
    screen = SelectScreen(pid=7, checked=[12])
    text, markup = selection_views.pool_screen(
        T, SUMMARY, screen, chunk, count=12, pages=2, locked_at=None
    )
    rows = _labels(markup)
    assert rows[1][0] == "☐ 사람11" and rows[2][0] == "☑ 사람12"
    assert rows[3] == ["1/2", T("selection.next_page")]  # the first of two pages
    assert T("selection.checked_note", n=1) in text
    assert rows[-1] == [T("selection.close")]
    assert len(rows) == 7  # tabs, two people, pages, two rows of bulk actions, close

    text, markup = selection_views.pool_screen(
        T, LOCKED, screen, chunk, count=2, pages=1, locked_at=LOCKED.roster_locked_at
    )
    rows = _labels(markup)
    assert rows[1] == [T("selection.open_card", n=1)]  # no toggles, no bulk actions
    assert len(rows) == 4


def _roster_row(state: str) -> RosterRow:
    none = dict.fromkeys(("team_id", "team_name", "company_id", "company_name"))
    return RosterRow(
        application_id=21,
        name="김청년",
        birth_date=date(2001, 3, 15),
        state=state,
        **none,
        training_status="not_started",
        work_status="not_started",
        outcome=None,
        dropout_code=None,
        outcome_reason=None,
    )


def test_a_progress_card_offers_status_completion_and_drop_out_while_someone_takes_part() -> None:
    _, markup = progress_views.card_screen(T, LOCKED, _roster_row("selected"))
    rows = _labels(markup)
    assert len(rows) == 4
    assert rows[2] == [T("progress.complete_button"), T("progress.drop_button")]
    _, markup = progress_views.card_screen(T, LOCKED, _roster_row("completed"))
    assert _labels(markup) == [[T("selection.back_to_list")]]
