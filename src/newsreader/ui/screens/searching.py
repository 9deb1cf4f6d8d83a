"""The search: ``/`` opens its input, each keystroke searches every stored article
(docs/search.md) and shows the results in the sidebar in place of the feeds; Escape
or an empty Enter brings the feeds back, the cursor where it was."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual.actions import SkipAction
from textual.widgets import Input

from newsreader.errors import QueryError
from newsreader.ui.screens.refreshing import RefreshingScreen
from newsreader.ui.state.search import SearchHits, results_tree

if TYPE_CHECKING:
    from newsreader.config import Config
    from newsreader.query import Node
    from newsreader.store import Store
    from newsreader.ui.article.view import ArticleView


# The most results shown while typing: the latest stored, found without reading every
# match, so each key is answered at once however common the word (a year of news can
# hold 60,000 articles with "harbour" in them).
SHOWN_HITS = 5000


class SearchingScreen(RefreshingScreen):
    """A reader screen with the search input above its sidebar."""

    config: Config
    store: Store
    _article: ArticleView | None

    def action_filter(self) -> None:
        search_input = self._search_input()
        if search_input.has_focus:
            raise SkipAction()  # a slash typed into the search is text
        search_input.display = True
        # Focus now, not on the next message: keys already queued belong to the search.
        self.set_focus(search_input)

    def _search_input(self) -> Input:
        return self.query_one("#search", Input)

    def _searching(self) -> bool:
        return self._search_input().display or self.state.searching

    def _close_search(self) -> None:
        search_input = self._search_input()
        search_input.display = False
        if search_input.value:
            search_input.value = ""
        self._apply(self.state.end_search())
        self._highlight(None)
        self.query_one("#sidebar").focus()

    def on_input_changed(self, event: Any) -> None:
        if getattr(event.input, "id", None) != "search":
            return
        text = " ".join(event.value.split())
        if not text:
            self._apply(self.state.end_search())
            self._highlight(None)
            return
        self._search(text)

    def on_input_submitted(self, event: Any) -> None:
        if getattr(event.input, "id", None) != "search":
            return
        if not event.value.strip():
            self._close_search()
        else:
            self.query_one("#sidebar").focus()

    def _search(self, text: str) -> None:
        """Show what ``text`` finds; a query still being typed (an open quote) keeps
        the last results and says what is missing."""
        from newsreader.query.compile import compile_query

        try:
            tree = _as_typed(text)
        except QueryError as exc:
            self._apply(self.state.search_problem(f"“{text}”: {exc.problem}"))
            return
        compiled = compile_query(tree, groups=self.config.groups, now=time.time())
        found = self.store.search(compiled, SHOWN_HITS, latest_stored=True)
        hits = SearchHits(self.store, self.store.hit_counts())
        feeds = self.state.feeds_tree.feed_group.items()
        results = results_tree(list(feeds), hits)
        results.nothing = f"Nothing matches “{text}”."
        if found >= SHOWN_HITS:
            line = f"“{text}”: the latest {SHOWN_HITS:,} matches"
        else:
            line = f"“{text}”: {found:,} {'match' if found == 1 else 'matches'}"
        self._apply(self.state.show_results(results, line))
        self._highlight(tree)

    def _highlight(self, tree: Node | None) -> None:
        """The query's words marked in the article pane, on every article shown until
        the search ends (None: no marks)."""
        from newsreader.query.highlight import terms_of

        if self._article is not None:
            self._article.highlight(terms_of(tree) if tree is not None else None)


def _as_typed(text: str) -> Node:
    """The query being typed: its last word is a prefix until a space ends it, so
    results show from the first letters on."""
    from newsreader.query import parse

    if text[-1].isalnum():
        try:
            return parse(text + "*")
        except QueryError:
            pass
    return parse(text)


def hidden_search() -> Input:
    """The search input, built hidden so ``/`` can focus it at once."""
    search_input = Input(
        placeholder='Search: words, "a phrase", -word, title:, is:unread…',
        id="search",
        compact=True,
        select_on_focus=False,
    )
    search_input.display = False
    return search_input
