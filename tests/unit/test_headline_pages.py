"""The sidebar's headlines read a page at a time: what is read when, marks that outlive
the cache, and the views (unread-only, next unread) against a plain reading of
every headline."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.model import Headline
from newsreader.ui.state import headlines as pages
from newsreader.ui.state.rows import FEED, GROUP, HEADLINE, Row
from newsreader.ui.state.tree import HeadlineTree
from tests.support.headlines import ListedHeadlines

FEEDS = [("A", "One"), ("B", "One"), ("C", "Two")]


def _listed(sizes: dict[str, int], read: set[int] = frozenset()) -> ListedHeadlines:  # type: ignore[assignment]
    items = []
    key = 0
    for feed, size in sizes.items():
        for i in range(size):
            key += 1
            title = f"{feed} item {i}" + (" harbour" if i % 7 == 0 else "")
            items.append(Headline(key, feed, title, None, key in read, False))
    return ListedHeadlines(items)


def test_a_tree_of_many_headlines_reads_one_page_for_what_is_drawn() -> None:
    source = _listed({"A": 5000, "B": 3000, "C": 10})
    tree = HeadlineTree(FEEDS, source)
    assert source.calls["page"] == 0 and len(tree.rows) == 8010 + 2 + 3
    assert [r.kind for r in tree.rows[:3]] == [GROUP, FEED, HEADLINE]
    for y in range(2, 42):  # the first screen
        tree.headline(tree.rows[y])
    assert source.calls["page"] == 1
    row = tree.rows[5000 + 3]  # B's first headline
    assert row == Row(HEADLINE, "One", "B", 0)
    assert tree.headline(row) == source.headlines[5000]
    assert source.calls["page"] == 2


def test_marks_outlive_the_pages_they_were_made_on(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(pages, "CACHED_PAGES", 2)
    source = _listed({"A": 2000, "B": 10, "C": 0})
    tree = HeadlineTree(FEEDS, source)
    assert tree.set_read("A", 3, True) and not tree.set_read("A", 3, True)
    tree.set_starred("A", 1500, True)
    for i in range(0, 2000, pages.PAGE):  # every page once: the first ones leave the cache
        tree.by_feed["A"][i]
    assert tree.by_feed["A"][3].read and tree.by_feed["A"][1500].starred
    assert tree.feed_unread("A") == 1999
    assert tree.mark_feed_read("A") == 1999 and tree.feed_unread("A") == 0
    assert all(h.read for h in tree.by_feed["A"])
    assert tree.set_read("A", 7, False) and not tree.by_feed["A"][7].read
    assert tree.by_feed["A"][1500].starred
    assert tree.feed_unread("A") == 1


def test_a_refreshed_feed_is_counted_again_and_its_old_pages_dropped() -> None:
    source = _listed({"A": 3, "B": 2, "C": 0})
    tree = HeadlineTree(FEEDS, source)
    assert tree.headline(tree.rows[2]) == source.headlines[0]
    source.headlines.insert(0, Headline(99, "A", "Fresh", None, False, False))
    tree.load_feed("A")
    tree.rebuild()
    assert tree.feed_total("A") == 4 and tree.feed_unread("A") == 4
    assert tree.headline(tree.rows[2]) == Headline(99, "A", "Fresh", None, False, False)


def test_a_feed_trimmed_by_another_process_shows_no_stale_headline() -> None:
    source = _listed({"A": 3, "B": 0, "C": 0})
    tree = HeadlineTree(FEEDS, source)
    del source.headlines[1:]
    last = tree.headline(tree.rows[4])
    assert last is not None and last.key == -1 and last.title == ""


def test_finding_a_key_puts_the_cursor_on_its_row_in_every_view() -> None:
    source = _listed({"A": 300, "B": 300, "C": 5}, read=set(range(1, 290)))
    tree = HeadlineTree(FEEDS, source)
    key = source.headlines[450].key  # B, place 150
    assert tree.locate(key) == ("B", 150)
    assert tree.headline(tree.rows[tree.find_key(key)]).key == key  # type: ignore[index,union-attr]
    tree.set_view(unread_only=True)
    tree.rebuild(keep=key)
    assert tree.headline(tree.rows[tree.find_key(key)]).key == key  # type: ignore[index,union-attr]
    read_key = source.headlines[10].key  # A, place 10: read, so unread-only hides it
    assert tree.find_key(read_key) is None


def _reference_rows(tree: HeadlineTree, source: ListedHeadlines) -> list[tuple[str, str]]:
    """The shown headlines, read plainly: every headline of every unfolded feed that the
    view lets through."""
    shown = []
    for feeds in tree.group_feeds.values():
        for feed in feeds:
            for h in source._of(feed):
                if tree.unread_only and h.read:
                    continue
                shown.append((feed, h.title))
    return shown


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 300), min_size=3, max_size=3),
    read=st.sets(st.integers(1, 900), max_size=400),
    unread_only=st.booleans(),
)
def test_the_views_show_what_a_plain_reading_shows(sizes, read, unread_only) -> None:  # type: ignore[no-untyped-def]
    source = _listed(dict(zip("ABC", sizes, strict=True)), read)
    tree = HeadlineTree(FEEDS, source)
    tree.set_view(unread_only=unread_only)
    tree.rebuild()
    shown = [(r.feed, tree.headline(r).title) for r in tree.rows if r.kind == HEADLINE]  # type: ignore[union-attr]
    assert shown == _reference_rows(tree, source)


def _reference_next(tree: HeadlineTree, source: ListedHeadlines, start, step):  # type: ignore[no-untyped-def]
    """The next unread headline by walking every headline in order, around once."""
    order = [
        (f, i) for fs in tree.group_feeds.values() for f in fs for i in range(len(source._of(f)))
    ]
    if not order:
        return None
    pos = -1 if step > 0 else len(order)
    if start is not None:
        feed, index = start
        if index >= 0:
            pos = order.index((feed, index))
        else:  # on the feed's row, empty or not: between the feed before and this one
            feeds = [f for fs in tree.group_feeds.values() for f in fs]
            before = sum(len(source._of(f)) for f in feeds[: feeds.index(feed)])
            pos = before - 1 if step > 0 else before
    for k in range(1, len(order) + 1):
        feed, i = order[(pos + step * k) % len(order)]
        if not source._of(feed)[i].read:
            return feed, i
    return None


@settings(max_examples=150, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 40), min_size=3, max_size=3),
    read=st.sets(st.integers(1, 120), max_size=120),
    data=st.data(),
    step=st.sampled_from([1, -1]),
)
def test_next_unread_finds_what_walking_every_headline_finds(sizes, read, data, step) -> None:  # type: ignore[no-untyped-def]
    source = _listed(dict(zip("ABC", sizes, strict=True)), read)
    tree = HeadlineTree(FEEDS, source)
    feed = data.draw(st.sampled_from("ABC"))
    size = len(source._of(feed))
    start = data.draw(st.none() | st.integers(-1, size - 1).map(lambda i: (feed, i)))
    if start is not None and start[1] >= 0 and size == 0:
        start = (feed, -1)
    assert tree.next_unread(start, step) == _reference_next(tree, source, start, step)
