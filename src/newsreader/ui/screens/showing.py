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
    from newsreader.config import Config
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
            return self._show_headline(tree, row)
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

    def _show_headline(self, tree: HeadlineTree, row: Row) -> StoredArticle | None:
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
            self.article.show_article(stored, group=row.group, feed_name=row.feed)
        return stored

    def _message(self, title: str, body: str) -> None:
        if self.article is not None:
            self.article.show_message(title, body)


def _read_problem(exc: BaseException, store: Store) -> str:
    """A failed read in one line, naming the database file."""
    if isinstance(exc, StoreError):
        return str(exc)
    text = getattr(exc, "strerror", None) or " ".join(str(exc).split()) or type(exc).__name__
    return f"{store.path}: {text}"
