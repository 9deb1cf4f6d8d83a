"""Drawing the row under the cursor into the breadcrumb and the article pane: the
stored article of a headline (or why it cannot be read), a feed's status, a group's
summary, or the empty reader's hint. The screen decides when; this says what."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from newsreader.errors import StoreError
from newsreader.ui.state.rows import FEED, GROUP, HEADLINE, MESSAGE
from newsreader.ui.state.summaries import empty_state, feed_summary, group_summary

if TYPE_CHECKING:
    from collections.abc import Sequence

    from newsreader.config import Config
    from newsreader.config.searches import Rule
    from newsreader.model import StoredArticle
    from newsreader.store import Store
    from newsreader.ui.article.view import ArticleView
    from newsreader.ui.state.rows import Row
    from newsreader.ui.state.tree import HeadlineTree
    from newsreader.ui.widgets.breadcrumb import Breadcrumb


class RowShower:
    """Shows one row at a time; ``article`` is None until the pane is mounted."""

    def __init__(self, store: Store, breadcrumb: Breadcrumb) -> None:
        self.store = store
        self.breadcrumb = breadcrumb
        self.article: ArticleView | None = None

    def show(self, tree: HeadlineTree, row: Row, config: Config) -> StoredArticle | None:
        """Draw ``row``; the stored article when it is a readable headline."""
        if row.kind == HEADLINE:
            return self._show_headline(tree, row, config)
        if row.kind == FEED:
            self.breadcrumb.set_path(row.group, row.feed)
            self._message(*feed_summary(tree, config, row.feed))
        elif row.kind == GROUP:
            self.breadcrumb.set_path(row.group)
            self._message(*group_summary(tree, row.group))
        else:
            self.breadcrumb.set_path(None)
            self._message(*empty_state(tree, config))
        return None

    def show_path(self, tree: HeadlineTree, row: Row | None) -> None:
        """Only the breadcrumb, before the article pane exists (the first paint)."""
        if row is None or row.kind == MESSAGE:
            return
        headline = tree.headline(row)
        title = tree.title_of(headline) if headline else None
        self.breadcrumb.set_path(row.group, row.feed or None, (), title)

    def _show_headline(self, tree: HeadlineTree, row: Row, config: Config) -> StoredArticle | None:
        headline = tree.by_feed[row.feed][row.index]
        title = tree.title_of(headline)
        try:
            stored = self.store.article(headline.key)
        except KeyError:
            self.breadcrumb.set_path(row.group, row.feed, (), title)
            self._message(title, "This article is no longer stored. Press R to refresh.")
            return None
        except (StoreError, sqlite3.Error, OSError) as exc:
            # A failing disk or a damaged file: say so where the article would be.
            self.breadcrumb.set_path(row.group, row.feed, (), title)
            problem = _read_problem(exc, self.store)
            self._message(title, f"This article could not be read: {problem}")
            return None
        self.breadcrumb.set_path(row.group, row.feed, stored.article.breadcrumb, title)
        if self.article is not None:
            ruled = rule_note(self._rule_labels(stored.key), config.rules_for(stored.feed))
            self.article.show_article(stored, group=row.group, feed_name=row.feed, ruled=ruled)
        return stored

    def _rule_labels(self, key: int) -> list[str]:
        """The rules that acted on article ``key``; none when they cannot be read, as
        the article itself was: the note is not worth an error of its own."""
        try:
            return self.store.rule_labels(key)
        except (StoreError, sqlite3.Error):
            return []

    def _message(self, title: str, body: str) -> None:
        if self.article is not None:
            self.article.show_message(title, body)


# What each action did, in the order the note names them.
_DONE = {"hide": "hidden", "star": "starred", "mark_read": "marked read"}


def rule_note(labels: Sequence[str], rules: Sequence[Rule]) -> str:
    """What the article pane says of the rules (``labels``, as the store keeps them)
    that acted on an article, so a user wondering why it is starred, read or hidden
    knows which rule to change: "Starred and marked read by rule: Weather". What a
    rule does is read from ``rules`` (the article's feed's, as feeds.yaml has them
    now; rules of one label, which the store keeps once, together); a rule no longer
    there is named alone. Labels are data: plain text."""
    by_label: dict[str, set[str]] = {}
    for rule in rules:
        by_label.setdefault(" ".join(rule.label.splitlines()), set()).update(rule.actions)
    notes = []
    for label in labels:
        actions = by_label.get(label)
        if not actions:
            notes.append(f"By rule: {label}")
            continue
        done = [word for action, word in _DONE.items() if action in actions]
        said = done[0] if len(done) == 1 else ", ".join(done[:-1]) + " and " + done[-1]
        notes.append(f"{said[0].upper()}{said[1:]} by rule: {label}")
    return " · ".join(notes)


def _read_problem(exc: BaseException, store: Store) -> str:
    """A failed read in one line, naming the database file."""
    if isinstance(exc, StoreError):
        return str(exc)
    text = getattr(exc, "strerror", None) or " ".join(str(exc).split()) or type(exc).__name__
    return f"{store.path}: {text}"
