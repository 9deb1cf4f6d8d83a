"""Rules in the reader: ``H`` shows the articles a rule hid in every list and hides
them again, and the article pane names the rules that acted on an article.

Rules act when an article is saved, so the store here is filled the way a refresh
fills it: each feed's fixture articles saved with that feed's compiled rules."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from newsreader.store import Store
from tests.ui.conftest import DATA, fill_store
from tests.ui.test_reader import CLOCK, FERRY, RIVERSIDE, SIZE, SYNTH, ready, screen_text
from tests.ui.test_reader import title_at_cursor as _title_at_cursor

pytestmark = pytest.mark.anyio

HOSTILE = "[bold]x[/]"
RULES = (DATA / "feeds.yaml").read_text(encoding="utf-8") + (
    "searches:\n"
    "  - {name: Gadgets, query: 'clock OR synthesiser', group: Tech}\n"
    "rules:\n"
    "  - match: title:clock\n"
    "    then: hide\n"
    "  - match: title:ferry\n"
    "    then: star\n"
    f"  - name: '{HOSTILE}'\n"
    "    match: title:riverside\n"
    "    then: [star, mark_read]\n"
)
# The same feeds without the rules: a store made with them keeps what they did.
NO_RULES = RULES.split("rules:\n")[0]


def rules_store(folder: Path) -> Path:
    """A store of the fixture articles saved under :data:`RULES`' rules."""
    from newsreader.config import parse_config
    from newsreader.store.rules import compile_rules

    config = parse_config(RULES, DATA / "feeds.yaml")
    compiled = compile_rules(config.rules, config.feeds, now=time.time())
    save = Store.save_result

    def with_rules(store: Store, name: str, result: Any, *args: Any, **kwargs: Any) -> Any:
        return save(store, name, result, *args, rules=compiled.get(name, ()), **kwargs)

    db = folder / "rules.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Store, "save_result", with_rules)
        fill_store(db, config)
    return db


@pytest.fixture
def rules_db(tmp_path: Path) -> Path:
    return rules_store(tmp_path)


def _titles(screen: Any) -> list[str]:
    tree = screen.model
    return [tree.title_of(h) for row in tree.rows if (h := tree.headline(row)) is not None]


def _article_text(screen: Any) -> str:
    return "\n".join(screen.article.laid_out_all())


async def _show(pilot: Any, screen: Any, title: str) -> None:
    """Put the cursor on the headline ``title`` and let the pane follow."""
    row = next(i for i, r in enumerate(screen.model.rows) if _title(screen, r) == title)
    screen.select(row)
    await pilot.pause()


def _title(screen: Any, row: Any) -> str | None:
    headline = screen.model.headline(row)
    return headline.title if headline is not None else None


async def test_h_shows_the_hidden_article_everywhere_and_hides_it_again(make_app, rules_db):
    app = make_app(config_text=RULES, db=rules_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        tree = screen.model
        assert CLOCK not in _titles(screen)
        assert tree.feed_unread("Tinkerers' Log") == 1  # the synthesiser; the clock hid
        assert len(tree.by_feed["Gadgets"]) == 1
        assert "hidden shown" not in screen_text(app)
        await _show(pilot, screen, SYNTH)

        await pilot.press("H")
        tree = screen.model
        assert CLOCK in _titles(screen)
        assert tree.feed_unread("Tinkerers' Log") == 2
        assert len(tree.by_feed["Gadgets"]) == 2  # the query feed lists it too
        assert _title_at_cursor(screen) == SYNTH  # the cursor stays on its article
        assert "hidden shown" in screen_text(app)
        assert screen.store.show_hidden

        await pilot.press("H")
        assert CLOCK not in _titles(screen)
        assert screen.model.feed_unread("Tinkerers' Log") == 1
        assert len(screen.model.by_feed["Gadgets"]) == 1
        assert _title_at_cursor(screen) == SYNTH
        assert "hidden shown" not in screen_text(app)
        assert not screen.store.show_hidden


async def test_hiding_again_moves_the_cursor_off_the_hidden_article(make_app, rules_db):
    app = make_app(config_text=RULES, db=rules_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("H")
        await _show(pilot, screen, CLOCK)
        assert "Hidden by rule: title:clock" in _article_text(screen)
        await pilot.press("H")
        assert _title_at_cursor(screen) not in (None, CLOCK)
        assert screen.state.row.feed == "Tinkerers' Log"


async def test_a_search_on_show_is_run_again_with_the_hidden_articles(make_app, rules_db):
    app = make_app(config_text=RULES, db=rules_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"clock", "enter")
        assert _titles(screen) == []
        await pilot.press("H")
        assert _titles(screen) == [CLOCK]
        assert "“clock”: 1 match" in screen_text(app)
        await pilot.press("H")
        assert _titles(screen) == []
        await pilot.press("escape")  # the feeds behind the results were recounted too
        assert CLOCK not in _titles(screen)
        assert screen.model.feed_unread("Tinkerers' Log") == 1


async def test_the_article_pane_names_the_rule_that_starred_it(make_app, rules_db):
    app = make_app(config_text=RULES, db=rules_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert _title_at_cursor(screen) == FERRY
        assert screen.model.headline(screen.state.row).starred
        text = _article_text(screen)
        assert "Starred by rule: title:ferry" in text
        assert "Starred by rule: title:ferry" in screen_text(app)


async def test_a_rule_label_is_shown_as_written_not_as_markup(make_app, rules_db):
    app = make_app(config_text=RULES, db=rules_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await _show(pilot, screen, RIVERSIDE)
        note = f"Starred and marked read by rule: {HOSTILE}"
        assert note in _article_text(screen)
        assert note in screen_text(app)


async def test_a_rule_gone_from_feeds_yaml_is_still_named(make_app, rules_db):
    app = make_app(config_text=NO_RULES, db=rules_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert _title_at_cursor(screen) == FERRY
        assert "By rule: title:ferry" in _article_text(screen)
        assert "Starred by rule" not in _article_text(screen)


async def test_an_article_no_rule_acted_on_says_nothing_of_rules(make_app, rules_db):
    app = make_app(config_text=RULES, db=rules_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await _show(pilot, screen, SYNTH)
        assert "by rule" not in _article_text(screen).lower()


async def test_the_key_is_listed_in_help_and_can_be_rebound(make_app, rules_db):
    rebound = RULES.replace("feeds:\n", "keys:\n  show_hidden: z\nfeeds:\n", 1)
    app = make_app(config_text=rebound, db=rules_db)
    async with app.run_test(size=(120, 50)) as pilot:
        screen = await ready(pilot)
        await pilot.press("H")
        assert CLOCK not in _titles(screen)
        await pilot.press("z")
        assert CLOCK in _titles(screen)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Show or hide the articles rules hid" in text and "show_hidden" in text
